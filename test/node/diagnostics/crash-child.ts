// Child of lockdown.test.ts: opens the store, saves a draft step by step, then hangs until SIGKILLed (a crash).
import pino from 'pino';
import { openStoreServices } from '../../../main/enrollment/services.js';
import { fullPatch, testConfig, testProtector } from '../store/helpers.js';

const dataDir = process.argv[2]!;
const store = await openStoreServices({ config: testConfig(dataDir), logger: pino({ level: 'silent' }), protector: testProtector() });
const clerk = { operatorId: 'clerk', role: 'clerk' } as const;
const patch = fullPatch(7, 3);
const draft = await store.enrollment.createDraft(clerk, { demographics: patch.demographics! });
await store.enrollment.updateDraft(clerk, draft.id, { consent: patch.consent!, face: patch.face! });
await store.enrollment.updateDraft(clerk, draft.id, { fingers: patch.fingers!.slice(0, 4) });
process.stdout.write(`saved ${draft.id}\n`);
setInterval(() => undefined, 1000);
