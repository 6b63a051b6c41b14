// Child process for the power-loss test: opens the store and saves enrollments in a loop, printing each id and a
// digest of its content only after the save has returned. The parent SIGKILLs it at a random moment.
import { createHash } from 'node:crypto';
import pino from 'pino';
import { openStoreServices } from '../../../main/enrollment/services.js';
import { PassphraseProtector } from '../../../main/store/crypto/protectors.js';
import { demoPerson } from '../../../main/enrollment/demo-people.js';
import { proceduralFinger } from '../../../main/enrollment/synthetic.js';
import type { FingerPosition } from '../../../main/enrollment/model.js';

const [dataDir, roundArg] = process.argv.slice(2) as [string, string];
const round = Number(roundArg);

function digestOf(nationalNumber: string, pixels: Uint8Array): string {
  return createHash('sha256').update(nationalNumber).update(pixels).digest('hex');
}

const s = await openStoreServices({
  config: { dataDir, kioskId: 'K-PL-01', centreId: 'C-PL', demo: false, security: { idleTimeoutSeconds: 300, pinMaxAttempts: 5, lockoutMinutes: 15 }, registry: { url: null, publicKeyFingerprint: null } },
  logger: pino({ level: 'silent' }),
  protector: new PassphraseProtector('power loss passphrase', { cost: { N: 1 << 10, r: 8, p: 1 } }),
  store: { quickCheckOnOpen: 'auto' },
});
process.stdout.write('ready\n');
const at = new Date().toISOString();
for (let i = 0; ; i++) {
  const person = demoPerson(i, round + 1);
  const image = proceduralFinger(round * 1000 + i, 96, 128);
  const fingers = ([1, 2] as FingerPosition[]).map((position) => ({ position, image, template: new Uint8Array([1, 2, 3, position]), templateFormat: 'test', quality: 50, attempts: 1, capturedAt: at }));
  const r = await s.enrollment.createDraft({ operatorId: 'clerk', role: 'clerk' }, { demographics: person, fingers });
  process.stdout.write(`saved ${r.id} ${digestOf(person.nationalNumber!, image.pixels)}\n`);
}
