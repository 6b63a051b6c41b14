// PII redaction for structured logs: any property whose name marks personal or biometric data is replaced,
// at any depth, before the line is written.

const PII_KEYS = new Set(
  [
    'name', 'names', 'givenName', 'familyName', 'givenNameAr', 'familyNameAr', 'givenNameLatin', 'familyNameLatin', 'fullName',
    'nationalNumber', 'nationalId', 'nin', 'phone', 'phoneNumber', 'email', 'address', 'addressLine', 'dateOfBirth', 'dob', 'birthDate',
    'pin', 'password', 'passphrase', 'token', 'secret', 'privateKey', 'dataKey', 'kek',
    'demographics', 'biometrics', 'face', 'fingers', 'image', 'images', 'template', 'templates', 'embedding', 'photo', 'geo',
  ].map((k) => k.toLowerCase()),
);

export const REDACTED = '[redacted]';

export function isPiiKey(key: string): boolean {
  return PII_KEYS.has(key.toLowerCase());
}

/** Returns a copy of `value` with PII-named properties replaced; cycles and depth are bounded. */
export function redactPii(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return '[depth]';
  if (seen.has(value)) return '[cycle]';
  seen.add(value);
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return `[${(value as ArrayBufferView).byteLength} bytes]`;
  if (Array.isArray(value)) return value.map((v) => redactPii(v, depth + 1, seen));
  if (value instanceof Error) {
    return { type: value.name, message: value.message, code: (value as { code?: unknown }).code };
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = isPiiKey(key) ? REDACTED : redactPii(v, depth + 1, seen);
  return out;
}
