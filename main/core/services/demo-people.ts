// Demo mode: which synthetic person the emulated fingerprint sensor presents for each enrollment. Every enrollment
// (finger capture session id = draft id) gets its own person, so new people are not flagged as duplicates of the
// first one; "same person as RID …" points an enrollment at an earlier one's person to show a duplicate on purpose.
// Kept in DATA_DIR/demo/people.json (record ids and RIDs only, no personal data) so a restart keeps the choice.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../platform/atomic-file.js';

interface Entry {
  /** Record id whose person is presented. */
  sameAs: string;
  rid: string;
}

export class DemoPeople {
  private readonly file: string;
  private readonly map = new Map<string, Entry>();

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'demo', 'people.json');
    try {
      if (existsSync(this.file)) for (const [k, v] of Object.entries(JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, Entry>)) this.map.set(k, v);
    } catch {
      // A damaged file only loses demo choices: every enrollment is its own person again.
    }
  }

  /** The synthetic subject (drivers/synth) whose fingers the sensor shows for this enrollment. */
  subjectFor(id: string): string {
    const seen = new Set<string>();
    let cur = id;
    // Follow "same as" links (an enrollment pointed at one that was itself pointed elsewhere), guarding cycles.
    while (this.map.has(cur) && !seen.has(cur)) {
      seen.add(cur);
      cur = this.map.get(cur)!.sameAs;
    }
    return `demo-person/${cur}`;
  }

  sameAsRid(id: string): string | null {
    return this.map.get(id)?.rid ?? null;
  }

  set(id: string, other: { id: string; rid: string } | null): void {
    if (other && other.id !== id) this.map.set(id, { sameAs: other.id, rid: other.rid });
    else this.map.delete(id);
    mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    writeFileAtomic(this.file, JSON.stringify(Object.fromEntries(this.map)));
  }
}
