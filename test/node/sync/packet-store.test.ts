// The registry's filesystem packet store: content-addressed names (two contents under one packet id never overwrite
// each other), hash-checked reads, the pre-content-addressing layout still readable, no temp files left behind.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FilePacketStore, sha256Hex } from '../../../sync/registry/blobs.js';
import { tempDir } from './harness.js';

describe('FilePacketStore', () => {
  const tmp = tempDir('packet-store-');
  afterAll(() => tmp.cleanup());

  it('keeps two contents of one packet id apart and reads each back by its hash', () => {
    const a = new FilePacketStore(tmp.dir);
    const b = new FilePacketStore(tmp.dir); // a second writer (another process) on the same folder
    const x = Buffer.from('first content');
    const y = Buffer.from('second content');
    a.putPacket('K-1', 'P-1', sha256Hex(x), x);
    b.putPacket('K-1', 'P-1', sha256Hex(y), y);
    a.putPacket('K-1', 'P-1', sha256Hex(x), x); // idempotent re-write
    expect(b.getPacket('K-1', 'P-1', sha256Hex(x))).toEqual(x);
    expect(a.getPacket('K-1', 'P-1', sha256Hex(y))).toEqual(y);
    expect(a.hasPacket('K-1', 'P-1', sha256Hex(x))).toBe(true);
    expect(readdirSync(path.join(tmp.dir, 'packets', 'K-1')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses bytes that do not have the declared hash, on write and on read', () => {
    const s = new FilePacketStore(tmp.dir);
    const x = Buffer.from('abc');
    expect(() => s.putPacket('K-1', 'P-2', sha256Hex(Buffer.from('other')), x)).toThrow(/sha256/);
    expect(() => s.putPacket('K-1', 'P-2', '../../etc', x)).toThrow(/64 hex/);
    s.putPacket('K-1', 'P-2', sha256Hex(x), x);
    writeFileSync(path.join(tmp.dir, 'packets', 'K-1', `P-2.${sha256Hex(x)}.pkt`), 'abd');
    expect(() => s.getPacket('K-1', 'P-2', sha256Hex(x))).toThrow(/does not have its recorded sha256/);
  });

  it('still reads packets stored under the old name (kiosk/packet.pkt)', () => {
    const s = new FilePacketStore(tmp.dir);
    const x = Buffer.from('stored by an older registry');
    mkdirSync(path.join(tmp.dir, 'packets', 'K-2'), { recursive: true });
    writeFileSync(path.join(tmp.dir, 'packets', 'K-2', 'P-3.pkt'), x);
    expect(s.hasPacket('K-2', 'P-3', sha256Hex(x))).toBe(true);
    expect(s.getPacket('K-2', 'P-3', sha256Hex(x))).toEqual(x);
  });
});
