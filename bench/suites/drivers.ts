// R30x capture over a real pty (socat) with the emulator pacing bytes at the wire rate, against the theoretical
// wire time of the bytes the capture moved (bytes × 10 / baud: 8N1 is 10 bits per byte).
import { timeIt, type Benchmark, type BenchResult } from '../benchmark.js';
import { ridgeSource } from '../../drivers/emulators/impression.js';
import { R30xEmulator } from '../../drivers/emulators/r30x-emulator.js';
import { R30xDevice } from '../../drivers/r30x/driver.js';

async function r30xAt(baud: number): Promise<BenchResult[]> {
  const emu = await R30xEmulator.start({ baudRate: baud, pacing: true, fingerDelayPolls: 0, source: ridgeSource('bench') });
  const dev = new R30xDevice({ path: emu.hostPath, baudRate: baud, pollIntervalMs: 20 });
  let bytes = 0;
  let upload: number[] = [];
  try {
    const times = await timeIt(
      async () => {
        const r = await dev.capture({ positions: [2] });
        bytes = r.images[0]!.timing.bytes;
        upload.push(r.images[0]!.timing.uploadMs);
      },
      3,
      0,
    );
    upload = upload.sort((a, b) => a - b);
    // The UpImage data packets (36,864 image bytes + 11 bytes of framing per packet).
    const wireMs = (bytes * 10 * 1000) / baud;
    const median = times[1]!;
    return [
      { metric: `R30x capture @ ${baud} baud (median of 3)`, value: Math.round(median), unit: 'ms', note: 'open + handshake + GenImg + UpImage over a socat pty' },
      { metric: `R30x upload @ ${baud} baud (median of 3)`, value: Math.round(upload[1]!), unit: 'ms' },
      { metric: `theoretical wire time @ ${baud} baud (${bytes} bytes × 10 / baud)`, value: Math.round(wireMs), unit: 'ms' },
      { metric: `upload / wire time @ ${baud} baud`, value: Math.round((upload[1]! / wireMs) * 100) / 100, unit: '×', note: 'fact sheet: ~6.5 s at 57600, ~3.3 s at 115200' },
    ];
  } finally {
    await dev.dispose();
    await emu.dispose();
  }
}

export const benchmarks: Benchmark[] = [
  { id: 'drivers.r30x.57600', title: 'R30x capture over a pty at 57600 baud vs wire time', run: () => r30xAt(57600) },
  { id: 'drivers.r30x.115200', title: 'R30x capture over a pty at 115200 baud vs wire time', run: () => r30xAt(115200) },
];
