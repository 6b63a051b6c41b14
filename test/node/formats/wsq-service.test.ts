import { describe, expect, it } from 'vitest';
import { WsqError } from '../../../models/formats/errors.js';
import { decodeWsq, encodeWsq, WsqService } from '../../../models/formats/wsq/index.js';
import { sameBytes, syntheticFinger } from './grey.js';

describe('WSQ worker service', () => {
  it('encodes and decodes on a worker thread exactly like the in-process codec, then disposes cleanly', async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r === 'MessagePort' || r === 'Worker').length;
    const svc = new WsqService();
    try {
      const px = syntheticFinger(320, 300, 5);
      const [a, b] = await Promise.all([svc.encode(px, 320, 300), svc.encode(px, 320, 300, { bitRate: 1.5 })]);
      expect(sameBytes(a, encodeWsq(px, 320, 300))).toBe(true);
      expect(b.length).toBeGreaterThan(a.length);
      const img = await svc.decode(a);
      expect([img.width, img.height, img.ppi]).toEqual([320, 300, 500]);
      expect(sameBytes(img.pixels, decodeWsq(a).pixels)).toBe(true);
      await expect(svc.decode(Uint8Array.of(1, 2, 3))).rejects.toBeInstanceOf(WsqError);
      await expect(svc.encode(px, 10, 10)).rejects.toMatchObject({ code: 'WSQ_INVALID_INPUT' });
    } finally {
      await svc.dispose();
    }
    await expect(svc.decode(Uint8Array.of(0))).rejects.toMatchObject({ code: 'DISPOSED' });
    const after = process.getActiveResourcesInfo().filter((r) => r === 'MessagePort' || r === 'Worker').length;
    expect(after).toBeLessThanOrEqual(before);
  });
});
