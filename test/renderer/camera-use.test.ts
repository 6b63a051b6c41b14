// Issue 17 item 7: the camera is no longer always "not connected" — the page reports when a screen has it open
// (busy), when it was closed after working (ready), and when opening it failed (error).
import { afterEach, describe, expect, it } from 'vitest';
import { onCameraUse, openCamera, type CameraUse } from '../../renderer/src/camera';

class FakeTrack extends EventTarget {
  readyState: 'live' | 'ended' = 'live';
  label = 'USB Camera (0c45:6366)';
  stop() {
    this.readyState = 'ended';
  }
}

const realDevices = Object.getOwnPropertyDescriptor(navigator, 'mediaDevices');
afterEach(() => {
  if (realDevices) Object.defineProperty(navigator, 'mediaDevices', realDevices);
});

describe('camera use', () => {
  it('busy while a stream is live, ready once stopped, error when it cannot be opened', async () => {
    let fail = false;
    const track = new FakeTrack();
    Object.defineProperty(navigator, 'mediaDevices', {
      configurable: true,
      value: {
        getUserMedia: async () => {
          if (fail) throw Object.assign(new Error('no camera'), { name: 'NotFoundError' });
          return { getTracks: () => [track], getVideoTracks: () => [track] } as unknown as MediaStream;
        },
      },
    });
    const seen: CameraUse[] = [];
    const off = onCameraUse((u) => seen.push(u));
    const stream = await openCamera(null);
    expect(seen.at(-1)).toEqual({ state: 'busy', label: 'USB Camera (0c45:6366)' });
    stream.getTracks()[0]!.stop();
    expect(seen.at(-1)).toEqual({ state: 'ready', label: 'USB Camera (0c45:6366)' });
    fail = true;
    await expect(openCamera(null)).rejects.toThrow();
    expect(seen.at(-1)?.state).toBe('error');
    off();
  });
});
