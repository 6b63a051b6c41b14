// The face as it travels in a sealed packet: the ISO/IEC 19794-5 token JPEG (models/face token.ts geometry), scaled
// uniformly to at most 360 px wide (inter-eye distance 90 px, the ICAO 9303 recommendation; every token ratio is
// relative to the width, so scaling keeps the token geometry) and re-encoded at quality 80 (mozjpeg, 4:2:0). The
// capture-time token (up to 960 px, quality 92, 4:4:4) is 60–100 KB; this is ≈ 25 KB, which keeps face + 10 WSQ
// fingers under 150 KB on the wire. The stored capture is untouched; the original is kept when it is already smaller.
import sharp from 'sharp';

export const PACKET_FACE_MAX_WIDTH = 360;
export const PACKET_FACE_QUALITY = 80;

export async function transportFaceJpeg(token: Uint8Array): Promise<Uint8Array> {
  try {
    const img = sharp(Buffer.from(token.buffer, token.byteOffset, token.byteLength), { limitInputPixels: 4096 * 4096 });
    const meta = await img.metadata();
    if (!meta.width || !meta.height) return token;
    const width = Math.min(meta.width, PACKET_FACE_MAX_WIDTH);
    const out = await img
      .resize({ width, height: Math.round((meta.height * width) / meta.width), kernel: 'lanczos3' })
      .jpeg({ quality: PACKET_FACE_QUALITY, mozjpeg: true, chromaSubsampling: '4:2:0' })
      .toBuffer();
    return out.length < token.length ? new Uint8Array(out.buffer, out.byteOffset, out.byteLength) : token;
  } catch {
    // Not decodable (the kiosk validated only the JPEG markers): it travels as captured; the registry judges it.
    return token;
  }
}
