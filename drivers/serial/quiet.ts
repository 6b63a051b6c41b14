// Waiting for a quiet line after opening a port: bytes still in flight from an interrupted exchange (a cancelled
// upload, a late acknowledge) must not be taken as the answer to the first new command.
import type { SerialLink } from './link.js';

export function waitForQuiet(link: SerialLink, quietMs = 40, maxMs = 400): Promise<number> {
  return new Promise((resolve) => {
    let discarded = 0;
    let quietTimer: NodeJS.Timeout;
    const done = () => {
      clearTimeout(quietTimer);
      clearTimeout(maxTimer);
      off();
      resolve(discarded);
    };
    const off = link.onData((chunk) => {
      discarded += chunk.length;
      clearTimeout(quietTimer);
      quietTimer = setTimeout(done, quietMs);
    });
    quietTimer = setTimeout(done, quietMs);
    const maxTimer = setTimeout(done, maxMs);
  });
}
