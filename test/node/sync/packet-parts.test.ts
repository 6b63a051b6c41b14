// Packet parts of manifest v2 (main/enrollment/packet-parts.ts): fingers as WSQ that decodes back to the image,
// a raw fallback for images WSQ cannot take, the face token scaled to ≤ 360 px at transport quality.
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { transportFaceJpeg, PACKET_FACE_MAX_WIDTH } from '../../../main/enrollment/face-transport.js';
import { packetParts } from '../../../main/enrollment/packet-parts.js';
import { placeholderJpeg, proceduralFingerCapture, syntheticFace } from '../../../main/enrollment/synthetic.js';
import { wsq } from '../../../models/formats/index.js';
import { fixturePath, hasFixture } from '../../helpers/fixtures.js';

const FACE = ['faces', 'obama_1080p.jpg'];

describe('packet parts (manifest v2)', () => {
  it('encodes fingers as WSQ (≈ 0.75 bpp) that decode to the same size and close pixels; tiny images travel raw', async () => {
    const at = new Date().toISOString();
    const f = proceduralFingerCapture('s1', 2, at);
    const tiny = { ...proceduralFingerCapture('s1', 3, at), image: { width: 20, height: 20, ppi: 500, pixels: new Uint8Array(400).fill(200) } };
    const parts = await packetParts({ face: null, fingers: [f, tiny], exceptions: [] });
    expect(parts.map((p) => `${p.name} ${p.mediaType}`)).toEqual(['finger.2.wsq image/x-wsq', 'finger.2.template application/x-iso-19794-2', 'finger.3.raw application/x-grey8', 'finger.3.template application/x-iso-19794-2']);
    const w = parts[0]!.data;
    const bpp = (w.length * 8) / (f.image.width * f.image.height);
    expect(bpp).toBeGreaterThan(0.4);
    expect(bpp).toBeLessThan(1.1);
    const d = wsq.decodeWsq(w);
    expect([d.width, d.height]).toEqual([f.image.width, f.image.height]);
    let se = 0;
    for (let i = 0; i < d.pixels.length; i++) se += (d.pixels[i]! - f.image.pixels[i]!) ** 2;
    const psnr = 10 * Math.log10((255 * 255) / (se / d.pixels.length));
    expect(psnr).toBeGreaterThan(20);
  });

  it('keeps an undecodable face JPEG as captured', async () => {
    const junk = placeholderJpeg(3, 5000);
    expect(await transportFaceJpeg(junk)).toBe(junk);
    const parts = await packetParts({ face: syntheticFace('s', new Date().toISOString(), junk), fingers: [], exceptions: [] });
    expect(parts[0]).toMatchObject({ name: 'face.jpg', mediaType: 'image/jpeg', data: junk });
  });

  describe.skipIf(!hasFixture(...FACE))('face token at transport size (needs fixture faces/obama_1080p.jpg)', () => {
    it('scales a 600 px token to 360 px wide, keeps the 3:4 token shape, and makes it much smaller', async () => {
      const token = await sharp(readFileSync(fixturePath(...FACE))).resize(600, 800, { fit: 'cover' }).jpeg({ quality: 92, chromaSubsampling: '4:4:4' }).toBuffer();
      const out = await transportFaceJpeg(new Uint8Array(token));
      const meta = await sharp(Buffer.from(out)).metadata();
      expect(meta.format).toBe('jpeg');
      expect([meta.width, meta.height]).toEqual([PACKET_FACE_MAX_WIDTH, 480]);
      expect(out.length).toBeLessThan(token.length / 2);
      expect(out.length).toBeLessThan(40_000);
    });
  });
});
