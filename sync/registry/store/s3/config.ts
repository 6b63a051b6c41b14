// `--packet-store s3://bucket/prefix [--s3-endpoint URL] [--s3-region R]`: the S3 packet store's settings. The
// credentials never come from the command line (visible in `ps` and shell history): from the environment
// (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, optional AWS_SESSION_TOKEN) or from a JSON file named by
// --s3-credentials FILE or REGISTRY_S3_CREDENTIALS_FILE ({"accessKeyId", "secretAccessKey", "sessionToken"?}),
// readable by its owner only.
import { readFileSync, statSync } from 'node:fs';
import { PacketStoreError } from '../../../errors.js';
import type { S3Credentials } from './sigv4.js';
import { S3PacketStore } from './s3-packet-store.js';

export interface PacketStoreSpec {
  /** s3://bucket/optional/prefix */
  url: string;
  endpoint?: string;
  region?: string;
  credentialsFile?: string;
  timeoutMs?: number;
}

const invalid = (message: string, details?: Record<string, unknown>) => new PacketStoreError('PACKET_STORE_CONFIG_INVALID', message, details ? { details } : undefined);

export function parsePacketStoreUrl(url: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/?#]+)(?:\/([^?#]*))?$/.exec(url);
  if (!m) throw invalid(`--packet-store must be s3://bucket/prefix, not ${url.replace(/\/\/[^@/]*@/, '//***@')}`);
  if (m[1]!.includes('@') || m[1]!.includes(':')) throw invalid('--packet-store must not hold credentials: set AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or --s3-credentials FILE');
  return { bucket: m[1]!, prefix: m[2] ?? '' };
}

export function loadS3Credentials(file: string | undefined, env: NodeJS.ProcessEnv): S3Credentials {
  const path = file ?? env.REGISTRY_S3_CREDENTIALS_FILE;
  if (path) {
    let st;
    try {
      st = statSync(path);
    } catch (e) {
      throw new PacketStoreError('PACKET_STORE_CONFIG_INVALID', `S3 credentials file ${path} cannot be read`, { cause: e, details: { file: path } });
    }
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) throw invalid(`S3 credentials file ${path} is readable by others (mode ${(st.mode & 0o777).toString(8)}): chmod 600 it`, { file: path });
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new PacketStoreError('PACKET_STORE_CONFIG_INVALID', `S3 credentials file ${path} is not JSON`, { cause: e, details: { file: path } });
    }
    const d = doc as Partial<Record<'accessKeyId' | 'secretAccessKey' | 'sessionToken', unknown>>;
    if (typeof d.accessKeyId !== 'string' || typeof d.secretAccessKey !== 'string' || !d.accessKeyId || !d.secretAccessKey) throw invalid(`S3 credentials file ${path} needs "accessKeyId" and "secretAccessKey"`, { file: path });
    return { accessKeyId: d.accessKeyId, secretAccessKey: d.secretAccessKey, ...(typeof d.sessionToken === 'string' && d.sessionToken ? { sessionToken: d.sessionToken } : {}) };
  }
  if (!env.AWS_ACCESS_KEY_ID || !env.AWS_SECRET_ACCESS_KEY) throw invalid('S3 credentials missing: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or --s3-credentials FILE');
  return { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) };
}

/** The S3 packet store of a spec (not yet checked against the server: see checkBucket). */
export function openS3PacketStore(spec: PacketStoreSpec, env: NodeJS.ProcessEnv = process.env): S3PacketStore {
  const { bucket, prefix } = parsePacketStoreUrl(spec.url);
  const region = spec.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const endpoint = spec.endpoint ?? `https://s3.${region}.amazonaws.com`;
  return new S3PacketStore({ endpoint, bucket, prefix, region, credentials: loadS3Credentials(spec.credentialsFile, env), ...(spec.timeoutMs ? { timeoutMs: spec.timeoutMs } : {}) });
}

/** Fails fast at start-up: the bucket exists and these credentials may use it (HEAD bucket). */
export async function checkBucket(store: S3PacketStore): Promise<void> {
  const res = await store.client.request('HEAD', '');
  if (res.status >= 200 && res.status < 300) return;
  const e = store.client.failure('HEAD', '', res);
  if (res.status === 404) throw new PacketStoreError('PACKET_STORE_NOT_FOUND', `S3 bucket ${store.client.bucket} not found`, { details: e.details });
  throw e;
}
