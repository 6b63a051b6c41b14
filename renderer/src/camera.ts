// Camera helpers: open the chosen camera, grab frames as JPEG base64 (downscaled for live analysis).
export type CameraProblem = 'noCamera' | 'denied' | 'unplugged';

/** What the page knows of the camera: in use (a live stream), usable (opened before, now closed), or failing. */
export interface CameraUse {
  state: 'busy' | 'ready' | 'error';
  label: string | null;
}

const useListeners = new Set<(u: CameraUse) => void>();
const liveStreams = new Set<MediaStream>();
let lastUse: CameraUse | null = null;

function publish(u: CameraUse): void {
  if (lastUse && lastUse.state === u.state && lastUse.label === u.label) return;
  lastUse = u;
  for (const l of [...useListeners]) l(u);
}

/** Follows the camera's use by every screen that opens it (the frame reports it to main's device status). */
export function onCameraUse(listener: (u: CameraUse) => void): () => void {
  useListeners.add(listener);
  if (lastUse) listener(lastUse);
  return () => useListeners.delete(listener);
}

function recheck(): void {
  for (const s of liveStreams) if (!s.getTracks().some((tr) => tr.readyState === 'live')) liveStreams.delete(s);
  if (liveStreams.size === 0) publish({ state: 'ready', label: lastUse?.label ?? null });
}

function watch(stream: MediaStream): void {
  liveStreams.add(stream);
  publish({ state: 'busy', label: stream.getVideoTracks()[0]?.label || null });
  for (const track of stream.getTracks()) {
    // stop() fires no 'ended' event: note it here.
    const stop = track.stop.bind(track);
    track.stop = () => {
      stop();
      recheck();
    };
    track.addEventListener('ended', recheck);
  }
}

export async function openCamera(deviceId: string | null): Promise<MediaStream> {
  const video: MediaTrackConstraints = { width: { ideal: 1280 }, height: { ideal: 720 }, ...(deviceId ? { deviceId: { exact: deviceId } } : {}) };
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ video, audio: false });
    watch(stream);
    return stream;
  } catch (error) {
    if (liveStreams.size === 0) publish({ state: 'error', label: lastUse?.label ?? null });
    throw error;
  }
}

export function cameraProblemOf(error: unknown): CameraProblem {
  const name = (error as { name?: string })?.name;
  return name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : 'noCamera';
}

/** Draws the current video frame at `maxWidth` (or full size) and returns it as base64 JPEG with the scale used. */
export async function grabFrame(video: HTMLVideoElement, maxWidth: number | null, quality: number): Promise<{ base64: string; scale: number } | null> {
  const w = video.videoWidth;
  const h = video.videoHeight;
  if (!w || !h) return null;
  const scale = maxWidth && w > maxWidth ? maxWidth / w : 1;
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(w * scale);
  canvas.height = Math.round(h * scale);
  canvas.getContext('2d')!.drawImage(video, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
  if (!blob) return null;
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { base64: btoa(binary), scale };
}

export function base64ToBlobUrl(base64: string, type: string): string {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return URL.createObjectURL(new Blob([bytes], { type }));
}
