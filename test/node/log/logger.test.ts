import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../main/log/logger.js';
import { REDACTED, redactPii } from '../../../main/log/redact.js';

describe('logs', () => {
  it('never writes PII fields, at any depth', () => {
    const lines: string[] = [];
    const log = createLogger({ dataDir: null, level: 'info', maxFileBytes: 1e6, maxFiles: 2, sink: { write: (l) => lines.push(l) } });
    log.logger.info(
      { rid: 'R-1', person: { givenNameAr: 'محمد', nationalNumber: '29001011234567', nested: [{ phone: '0100' }] }, pin: '1234', template: new Uint8Array(10) },
      'saved',
    );
    log.dispose();
    const text = lines.join('');
    for (const secret of ['محمد', '29001011234567', '0100', '1234']) expect(text).not.toContain(secret);
    expect(text).toContain('R-1');
    const entry = JSON.parse(lines[0]!) as { person: { givenNameAr: string } };
    expect(entry.person.givenNameAr).toBe(REDACTED);
  });

  it('summarises binary data and survives cycles', () => {
    const a: Record<string, unknown> = { id: 1, blob: Buffer.alloc(5) };
    a.self = a;
    expect(redactPii(a)).toEqual({ id: 1, blob: '[5 bytes]', self: '[cycle]' });
  });

  it('rotates files under the data dir', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-log-'));
    const log = createLogger({ dataDir: dir, level: 'info', maxFileBytes: 2000, maxFiles: 3 });
    for (let i = 0; i < 200; i++) log.logger.info({ i }, 'line');
    log.dispose();
    const files = readdirSync(path.join(dir, 'logs')).sort();
    expect(files).toEqual(['kiosk.log', 'kiosk.log.1', 'kiosk.log.2', 'kiosk.log.3']);
    expect(existsSync(path.join(dir, 'logs', 'kiosk.log.4'))).toBe(false);
    expect(readFileSync(path.join(dir, 'logs', 'kiosk.log'), 'utf8').length).toBeLessThanOrEqual(2000);
  });
});
