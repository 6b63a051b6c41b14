// SBI capture hash chain: hash = SHA-256(previousHash ‖ SHA-256(bioValue)), hex-encoded. previousHash enters as its
// bytes (hex-decoded; empty for the first capture of a session); bioValue as the decoded ISO record bytes.
import { createHash } from 'node:crypto';

export function chainHash(previousHash: string, bioValue: Uint8Array): string {
  const prev = /^[0-9a-fA-F]*$/.test(previousHash) && previousHash.length % 2 === 0 ? Buffer.from(previousHash, 'hex') : Buffer.from(previousHash, 'utf8');
  const inner = createHash('sha256').update(bioValue).digest();
  return createHash('sha256').update(prev).update(inner).digest('hex');
}
