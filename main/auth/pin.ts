// PIN hashing: scrypt(N=2^14, r=8, p=1, 16-byte salt, 32-byte output) over HMAC-SHA-256(index key, operator id ‖ PIN).
// The keyed pre-hash (pepper) means a stolen database without the unlocked key ring gives no offline PIN attack,
// even though a 4–8 digit PIN has at most 10^8 values. Online guessing is bounded by the lockout.
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const PIN_SCRYPT = { N: 1 << 14, r: 8, p: 1, keyLength: 32 } as const;
export const PIN_PATTERN = /^\d{4,8}$/;

const paramsSchema = z.object({ v: z.literal(1), N: z.number().int(), r: z.number().int(), p: z.number().int(), salt: z.string() });

function scrypt(secret: Buffer, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(secret, salt, PIN_SCRYPT.keyLength, { ...params, maxmem: 256 * params.N * params.r + 1024 * 1024 }, (e, k) => (e ? reject(e) : resolve(k))),
  );
}

export type Pepper = (operatorId: string, pin: string) => Buffer;

export async function hashPin(pepper: Pepper, operatorId: string, pin: string): Promise<{ hash: Buffer; params: string }> {
  const salt = randomBytes(16);
  const { N, r, p } = PIN_SCRYPT;
  const hash = await scrypt(pepper(operatorId, pin), salt, { N, r, p });
  return { hash, params: JSON.stringify({ v: 1, N, r, p, salt: salt.toString('base64') }) };
}

export async function verifyPin(pepper: Pepper, operatorId: string, pin: string, hash: Uint8Array, paramsJson: string): Promise<boolean> {
  const params = paramsSchema.parse(JSON.parse(paramsJson));
  const candidate = await scrypt(pepper(operatorId, pin), Buffer.from(params.salt, 'base64'), params);
  return candidate.length === hash.length && timingSafeEqual(candidate, Buffer.from(hash));
}

/** Same cost as a real verification, for unknown operator ids (no timing oracle for which ids exist). */
export async function dummyVerify(pepper: Pepper, pin: string): Promise<void> {
  await scrypt(pepper('-', pin), Buffer.alloc(16), PIN_SCRYPT);
}
