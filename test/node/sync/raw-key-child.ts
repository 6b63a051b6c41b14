// Child of raw-public-key.test.ts: generates keys and reads their raw public bytes in a tight loop, in a process
// started with a 1 MB young generation so that garbage collections happen inside the export calls. With the JWK
// export (Node 20) this hangs within 10,000–60,000 rounds; it must finish.
import { generateKeyPairSync } from 'node:crypto';
import { publicKeyRaw } from '../../../main/store/crypto/identity.js';
import { rawPublicKeyOf } from '../../../sync/packet/keys.js';

const rounds = Number(process.argv[2] ?? 100_000);
// Short-lived strings beside the keys, as a busy process has: young-generation collections then fall inside exports.
const churn: string[] = [];
for (let i = 0; i < rounds; i++) {
  churn.push(`${i}`.padStart(100, '-'));
  if (churn.length > 1000) churn.length = 0;
  const { publicKey } = i % 2 ? generateKeyPairSync('x25519') : generateKeyPairSync('ed25519');
  const raw = i % 4 === 0 ? publicKeyRaw(publicKey) : rawPublicKeyOf(publicKey);
  if (raw.length !== 32) throw new Error(`round ${i}: ${raw.length} bytes`);
}
process.stdout.write(`done ${rounds}\n`);
