// Throwaway S3-compatible server for tests: moto's standalone server (`moto_server`, Python package moto) on a free
// loopback port, with request authentication switched on: the first few actions are unauthenticated (IAM: make a
// user, give it S3 rights, make its access key), every request after them must carry a valid SigV4 signature of a
// key moto knows. Skips LOUDLY when moto is not installed (it is no Debian package; the machine image has it in its
// Python; `pip install 'moto[server]'` elsewhere).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import net from 'node:net';
import { authorization, amzDateOf } from '../../sync/registry/store/s3/sigv4.js';
import { freePort } from './free-port.js';

export interface TestS3 {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  stop(): Promise<void>;
}

function motoCommand(): [string, string[]] | null {
  if (process.env.KIOSK_SKIP_S3 === '1') return null;
  const bin = spawnSync('sh', ['-c', 'command -v moto_server'], { encoding: 'utf8' }).stdout.trim();
  if (bin && spawnSync(bin, ['--help'], { encoding: 'utf8' }).status === 0) return [bin, []];
  if (spawnSync('python3', ['-c', 'import moto.server, werkzeug'], { encoding: 'utf8' }).status === 0) return ['python3', ['-m', 'moto.server']];
  return null;
}

/** True when moto's server can be started; otherwise prints a loud warning and returns false. */
export function hasS3Server(): boolean {
  if (motoCommand()) return true;
  console.warn(`\n*** ${process.env.KIOSK_SKIP_S3 === '1' ? 'KIOSK_SKIP_S3=1' : "moto_server (Python package moto[server]) not found"} — the S3-compatible packet store tests are SKIPPED. ***\n`);
  return false;
}

/** An IAM Query API call (one of the unauthenticated first actions: the signature only routes it to IAM). */
async function iam(endpoint: string, params: Record<string, string>): Promise<string> {
  const body = new URLSearchParams({ ...params, Version: '2010-05-08' }).toString();
  const url = new URL(endpoint);
  const amzDate = amzDateOf(Date.now());
  const payloadHash = createHash('sha256').update(body).digest('hex');
  const headers: Record<string, string> = { host: url.host, 'x-amz-date': amzDate, 'content-type': 'application/x-www-form-urlencoded' };
  const auth = authorization({ method: 'POST', path: '/', headers, payloadHash, region: 'us-east-1', service: 'iam', amzDate }, { accessKeyId: 'AKIDBOOTSTRAP', secretAccessKey: 'bootstrap' });
  const res = await fetch(`${endpoint}/`, { method: 'POST', headers: { ...headers, authorization: auth.authorization }, body });
  const text = await res.text();
  if (!res.ok) throw new Error(`moto IAM ${params.Action} failed: ${res.status} ${text}`);
  return text;
}

export async function startS3Server(): Promise<TestS3> {
  const cmd = motoCommand();
  if (!cmd) throw new Error('moto_server not found');
  const port = await freePort();
  const proc: ChildProcess = spawn(cmd[0], [...cmd[1], '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, INITIAL_NO_AUTH_ACTION_COUNT: '3', MOTO_ALLOW_NONEXISTENT_REGION: 'true' },
  });
  let log = '';
  proc.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  };
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`moto_server exited (${proc.exitCode}): ${log}`);
      const up = await new Promise<boolean>((resolve) => {
        const s = net.connect(port, '127.0.0.1', () => {
          s.destroy();
          resolve(true);
        });
        s.on('error', () => resolve(false));
      });
      if (up) break;
      if (Date.now() > deadline) throw new Error(`moto_server did not listen within 30 s: ${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await iam(endpoint, { Action: 'CreateUser', UserName: 'registry' });
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });
    await iam(endpoint, { Action: 'PutUserPolicy', UserName: 'registry', PolicyName: 's3-all', PolicyDocument: policy });
    const created = await iam(endpoint, { Action: 'CreateAccessKey', UserName: 'registry' });
    const accessKeyId = /<AccessKeyId>([^<]+)<\/AccessKeyId>/.exec(created)?.[1];
    const secretAccessKey = /<SecretAccessKey>([^<]+)<\/SecretAccessKey>/.exec(created)?.[1];
    if (!accessKeyId || !secretAccessKey) throw new Error(`moto CreateAccessKey answered without a key: ${created}`);
    return { endpoint, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey }, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
