// Registry-side sealing of what cross-matching must keep: the national numbers of accepted people (to compute a
// partner's HMAC index on demand) and the partners' secrets. AES-256-GCM with keys derived (HKDF-SHA256, RFC 5869)
// from the registry's dedup secret, so a copy of the database alone reveals neither.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export class Vault {
  private readonly key: Buffer;
  constructor(rootSecret: Uint8Array, purpose: 'national-numbers' | 'partner-secrets') {
    this.key = Buffer.from(hkdfSync('sha256', rootSecret, Buffer.alloc(0), `registry/partners/${purpose}/v1`, 32));
  }

  /** base64(iv 12 ‖ tag 16 ‖ ciphertext); `context` is bound as associated data (a RID, a partner id). */
  seal(plain: string, context: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    c.setAAD(Buffer.from(context));
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), body]).toString('base64');
  }

  open(sealed: string, context: string): string {
    const b = Buffer.from(sealed, 'base64');
    const d = createDecipheriv('aes-256-gcm', this.key, b.subarray(0, 12));
    d.setAAD(Buffer.from(context));
    d.setAuthTag(b.subarray(12, 28));
    return Buffer.concat([d.update(b.subarray(28)), d.final()]).toString('utf8');
  }
}
