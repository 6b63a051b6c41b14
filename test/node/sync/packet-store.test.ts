// The registry's filesystem packet store: the PacketStore contract (packet-store-contract.ts) on a folder shared by
// two instances, plus what is its own: no temp files left behind, the pre-content-addressing layout still readable.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FilePacketStore, sha256Hex } from '../../../sync/registry/blobs.js';
import { tempDir } from './harness.js';
import { packetStoreContract } from './packet-store-contract.js';

describe('FilePacketStore', () => {
  const tmp = tempDir('packet-store-');
  afterAll(() => tmp.cleanup());
  const a = new FilePacketStore(tmp.dir);
  const b = new FilePacketStore(tmp.dir); // a second writer (another process) on the same folder

  packetStoreContract(() => ({
    a,
    b,
    corrupt: async (k, p, sha, bytes) => writeFileSync(path.join(tmp.dir, 'packets', k, `${p}.${sha}.pkt`), bytes),
  }));

  it('leaves no temp files behind', () => {
    expect(readdirSync(path.join(tmp.dir, 'packets', 'K-1')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('still reads packets stored under the old name (kiosk/packet.pkt)', async () => {
    const x = Buffer.from('stored by an older registry');
    mkdirSync(path.join(tmp.dir, 'packets', 'K-2'), { recursive: true });
    writeFileSync(path.join(tmp.dir, 'packets', 'K-2', 'P-3.pkt'), x);
    expect(await a.hasPacket('K-2', 'P-3', sha256Hex(x))).toBe(true);
    expect(await a.getPacket('K-2', 'P-3', sha256Hex(x))).toEqual(x);
  });
});
