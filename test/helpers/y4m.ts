// Writes a Y4M (YUV 4:2:0) video from still photos, for Chromium's fake camera
// (--use-file-for-fake-video-capture). Each photo is letterboxed to the frame size and held for `framesEach` frames.
import { writeFileSync } from 'node:fs';
import sharp from 'sharp';

export async function writeY4m(file: string, photos: string[], options: { width: number; height: number; fps: number; framesEach: number }): Promise<void> {
  const { width, height, fps, framesEach } = options;
  const chunks: Buffer[] = [Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`)];
  for (const photo of photos) {
    const rgb = await sharp(photo).rotate().resize(width, height, { fit: 'contain', background: { r: 128, g: 128, b: 128 } }).removeAlpha().raw().toBuffer();
    const y = Buffer.alloc(width * height);
    const u = Buffer.alloc((width / 2) * (height / 2));
    const v = Buffer.alloc((width / 2) * (height / 2));
    for (let i = 0; i < width * height; i++) {
      const r = rgb[i * 3]!, g = rgb[i * 3 + 1]!, b = rgb[i * 3 + 2]!;
      y[i] = Math.max(0, Math.min(255, Math.round(0.299 * r + 0.587 * g + 0.114 * b)));
    }
    for (let cy = 0; cy < height / 2; cy++) {
      for (let cx = 0; cx < width / 2; cx++) {
        const i = (cy * 2 * width + cx * 2) * 3;
        const r = rgb[i]!, g = rgb[i + 1]!, b = rgb[i + 2]!;
        u[cy * (width / 2) + cx] = Math.max(0, Math.min(255, Math.round(128 - 0.168736 * r - 0.331264 * g + 0.5 * b)));
        v[cy * (width / 2) + cx] = Math.max(0, Math.min(255, Math.round(128 + 0.5 * r - 0.418688 * g - 0.081312 * b)));
      }
    }
    const frame = Buffer.concat([Buffer.from('FRAME\n'), y, u, v]);
    for (let k = 0; k < framesEach; k++) chunks.push(frame);
  }
  writeFileSync(file, Buffer.concat(chunks));
}
