// AWS Signature Version 4 for S3 requests (header-based, signed payload hash): canonical request, string to sign,
// signing key, signature. Pure functions over strings; the client (s3-client.ts) sends what they produce.
import { createHash, createHmac } from 'node:crypto';

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Temporary credentials (STS): sent as x-amz-security-token. */
  sessionToken?: string;
}

export interface SigningInput {
  method: string;
  /** Path exactly as sent (already URI-encoded, e.g. "/bucket/my%20key"). */
  path: string;
  /** Query parameters (unencoded). */
  query?: Record<string, string>;
  /** Headers to sign (name → value); host and x-amz-date must be among them. */
  headers: Record<string, string>;
  /** Hex SHA-256 of the payload (or "UNSIGNED-PAYLOAD"). */
  payloadHash: string;
  region: string;
  service?: string;
  /** ISO basic format, e.g. 20130524T000000Z. */
  amzDate: string;
}

export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** RFC 3986 percent-encoding as SigV4 wants it: only A-Z a-z 0-9 - _ . ~ stay as they are. */
export function uriEncode(s: string, keepSlash = false): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c) || (keepSlash && c === '/')) out += c;
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function amzDateOf(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export function canonicalQuery(query: Record<string, string> = {}): string {
  return Object.entries(query)
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

export function canonicalRequest(i: SigningInput): { text: string; signedHeaders: string } {
  const headers = Object.entries(i.headers)
    .map(([k, v]) => [k.toLowerCase(), v.trim().replace(/\s+/g, ' ')] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const signedHeaders = headers.map(([k]) => k).join(';');
  const text = [i.method, i.path, canonicalQuery(i.query), headers.map(([k, v]) => `${k}:${v}\n`).join(''), signedHeaders, i.payloadHash].join('\n');
  return { text, signedHeaders };
}

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

export function scopeOf(amzDate: string, region: string, service = 's3'): string {
  return `${amzDate.slice(0, 8)}/${region}/${service}/aws4_request`;
}

export function stringToSign(i: SigningInput): string {
  return ['AWS4-HMAC-SHA256', i.amzDate, scopeOf(i.amzDate, i.region, i.service), sha256(canonicalRequest(i).text)].join('\n');
}

export function signingKey(secretAccessKey: string, date: string, region: string, service = 's3'): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), 'aws4_request');
}

/** The Authorization header value of a request. */
export function authorization(i: SigningInput, creds: S3Credentials): { authorization: string; signature: string } {
  const { signedHeaders } = canonicalRequest(i);
  const signature = createHmac('sha256', signingKey(creds.secretAccessKey, i.amzDate.slice(0, 8), i.region, i.service)).update(stringToSign(i), 'utf8').digest('hex');
  return { authorization: `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scopeOf(i.amzDate, i.region, i.service)},SignedHeaders=${signedHeaders},Signature=${signature}`, signature };
}
