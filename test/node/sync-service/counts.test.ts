// Issue 17, item 6: the home tile "waiting for upload" and the sync panel's backlog disagreed (home counted approved +
// sealed, sync sealed + uploaded). Both now come from awaitingUploadCount: every approved record the registry has not
// acknowledged yet.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AWAITING_UPLOAD_STATUSES, awaitingUploadCount } from '../../../main/enrollment/counts.js';
import { projectRoot } from '../../helpers/fixtures.js';

const none = { draft: 0, captured: 0, pending_approval: 0, approved: 0, rejected: 0, sealed: 0, uploaded: 0, acknowledged: 0, purged: 0 };

describe('waiting for upload', () => {
  it('counts approved, sealed and uploaded records — not drafts, pending, acknowledged, rejected or purged ones', () => {
    expect(AWAITING_UPLOAD_STATUSES).toEqual(['approved', 'sealed', 'uploaded']);
    expect(awaitingUploadCount({ ...none, draft: 3, pending_approval: 2, approved: 1, sealed: 2, uploaded: 4, acknowledged: 9, rejected: 1, purged: 7 })).toBe(7);
    expect(awaitingUploadCount(none)).toBe(0);
  });

  it('is the one definition the home counts and the sync backlog use', () => {
    const src = (f: string) => readFileSync(path.join(projectRoot, f), 'utf8');
    expect(src('main/enrollment/service.ts')).toMatch(/awaitingUpload: awaitingUploadCount\(c\.byStatus\)/);
    expect(src('main/sync-service/sync-service.ts')).toMatch(/const backlog = awaitingUploadCount\(c\.byStatus\)/);
    // The backlog shown after a pass is the store's count, not the pass's own view of the outbox.
    expect(src('main/sync-service/sync-service.ts')).not.toMatch(/backlog: report\.pending/);
  });
});
