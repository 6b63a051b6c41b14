// `registry partner …`: the partner's side (keygen, hash, match, request, verify: no registry database needed) and
// the registry admin's side (add, list, revoke, runs, refresh, answer: need --data-dir).
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../../main/platform/atomic-file.js';
import { publicKeyOf, rawPublicKeyOf } from '../../packet/keys.js';
import { openRegistry } from '../runtime.js';
import { matchOnline, verifyMatchResult } from './client.js';
import { csvColumn, parseCsv } from '../../../main/platform/csv.js';
import { PartnerInputError } from './errors.js';
import { formatHashFile, hashNationalNumbers, parseHashFile, parsePartnerSecret } from './hash.js';
import { makeRequestFile, PartnerService } from './service.js';

export const PARTNER_USAGE = `  registry partner keygen --out PARTNER-KEY.pem
  registry partner hash FILE.csv (--key KEY | --key-file F) [--column NAME|N] [--out HASHES]
  registry partner match --url URL --partner ID --key-file PARTNER-KEY.pem --registry-key KEY --hashes HASHES [--out RESULT.json]
  registry partner request --partner ID --key-file PARTNER-KEY.pem --hashes HASHES --out REQUEST.json      (USB)
  registry partner verify RESULT.json --partner ID --registry-key KEY [--hashes HASHES]
  registry partner add ID --public-key KEY|FILE [--name N] [--flags a,b] [--min-batch N] [--runs-per-day N] --data-dir D [--postgres URL]
  registry partner list|refresh --data-dir D [--postgres URL]
  registry partner revoke ID --data-dir D [--postgres URL]
  registry partner runs [ID] --data-dir D [--postgres URL]
  registry partner answer REQUEST.json --out RESULT.json --data-dir D [--postgres URL]      (USB)`;

export class PartnerCliUsageError extends Error {}

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  cwd: string;
}

function need(opt: Map<string, string>, k: string): string {
  const v = opt.get(k);
  if (!v) throw new PartnerCliUsageError(`--${k} is required`);
  return v;
}

function readText(io: Io, file: string, what: string): string {
  const p = path.resolve(io.cwd, file);
  if (!existsSync(p)) throw new PartnerInputError('FILE_NOT_FOUND', `${what} not found: ${file}`, { file });
  return readFileSync(p, 'utf8');
}

function secretFrom(io: Io, opt: Map<string, string>): Buffer {
  const file = opt.get('key-file');
  if (file) return parsePartnerSecret(readText(io, file, 'Key file'));
  return parsePartnerSecret(need(opt, 'key'));
}

function privateKeyFrom(io: Io, file: string): KeyObject {
  try {
    const k = createPrivateKey(readText(io, file, 'Partner key file'));
    if (k.asymmetricKeyType !== 'ed25519') throw new Error(k.asymmetricKeyType);
    return k;
  } catch (e) {
    if (e instanceof PartnerInputError) throw e;
    throw new PartnerInputError('PARTNER_KEY_INVALID', 'Partner key file must hold an Ed25519 private key (PEM, from `registry partner keygen`)');
  }
}

function registryKeyFrom(io: Io, value: string): KeyObject {
  const text = existsSync(path.resolve(io.cwd, value)) ? readFileSync(path.resolve(io.cwd, value), 'utf8').trim() : value;
  try {
    return publicKeyOf(text, 'Ed25519');
  } catch {
    throw new PartnerInputError('REGISTRY_KEY_INVALID', 'Registry key must be its Ed25519 signing public key (base64 of 32 bytes, or PEM)');
  }
}

function writeOrPrint(io: Io, out: string | undefined, text: string): void {
  if (out) writeFileAtomic(path.resolve(io.cwd, out), text);
  else io.stdout.write(text);
}

/** Runs `registry partner <sub> …`; `pos` starts after "partner". Returns the exit code. */
export async function runPartnerCli(pos: string[], opt: Map<string, string>, io: Io): Promise<number> {
  const out = (v: unknown) => io.stdout.write(JSON.stringify(v) + '\n');
  const [sub, arg] = pos;
  if (sub === 'keygen') {
    const file = path.resolve(io.cwd, need(opt, 'out'));
    if (existsSync(file)) throw new PartnerInputError('FILE_EXISTS', `Refusing to overwrite ${need(opt, 'out')}`);
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileAtomic(file, privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
    out({ keyFile: file, publicKey: rawPublicKeyOf(privateKey).toString('base64') });
    return 0;
  }
  if (sub === 'hash' && arg) {
    const secret = secretFrom(io, opt);
    const values = csvColumn(parseCsv(readText(io, arg, 'CSV file')), opt.get('column'));
    const r = hashNationalNumbers(secret, values);
    writeOrPrint(io, opt.get('out'), formatHashFile(r.hashes));
    // Row numbers only: the values may be personal data.
    io.stderr.write(JSON.stringify({ rows: values.length, hashed: r.hashes.length, duplicates: r.duplicates, skipped: r.skipped }) + '\n');
    return 0;
  }
  if (sub === 'match') {
    const partnerId = need(opt, 'partner');
    const hashes = parseHashFile(readText(io, need(opt, 'hashes'), 'Hash file'));
    const result = await matchOnline({ url: need(opt, 'url'), partnerId, privateKey: privateKeyFrom(io, need(opt, 'key-file')), registrySigningKey: registryKeyFrom(io, need(opt, 'registry-key')), hashes });
    writeOrPrint(io, opt.get('out'), JSON.stringify(result) + '\n');
    if (opt.get('out')) out({ runId: result.payload.runId, submitted: result.payload.submitted, matched: result.payload.matched });
    return 0;
  }
  if (sub === 'request') {
    const hashes = parseHashFile(readText(io, need(opt, 'hashes'), 'Hash file'));
    const doc = makeRequestFile(need(opt, 'partner'), hashes, privateKeyFrom(io, need(opt, 'key-file')));
    writeFileAtomic(path.resolve(io.cwd, need(opt, 'out')), JSON.stringify(doc));
    out({ request: need(opt, 'out'), hashes: hashes.length });
    return 0;
  }
  if (sub === 'verify' && arg) {
    let doc: unknown;
    try {
      doc = JSON.parse(readText(io, arg, 'Result file'));
    } catch (e) {
      if (e instanceof PartnerInputError) throw e;
      throw new PartnerInputError('RESULT_FILE_INVALID', 'Result file is not JSON');
    }
    const sent = opt.get('hashes') ? new Set(parseHashFile(readText(io, opt.get('hashes')!, 'Hash file')).map((h) => h.toString('hex'))) : undefined;
    const r = verifyMatchResult(doc, registryKeyFrom(io, need(opt, 'registry-key')), need(opt, 'partner'), sent);
    out({ verified: true, runId: r.payload.runId, submitted: r.payload.submitted, matched: r.payload.matched });
    return 0;
  }

  const dataDir = opt.get('data-dir');
  if (!dataDir) throw new PartnerCliUsageError(`registry partner ${sub ?? ''}: unknown command or --data-dir missing`);
  const registry = await openRegistry({ dataDir: path.resolve(io.cwd, dataDir), ...(opt.get('postgres') ? { postgresUrl: opt.get('postgres')! } : {}) });
  try {
    const partners = await PartnerService.open(registry);
    if (sub === 'add' && arg) {
      const keyArg = need(opt, 'public-key');
      const key = existsSync(path.resolve(io.cwd, keyArg)) ? readFileSync(path.resolve(io.cwd, keyArg), 'utf8') : keyArg;
      const int = (k: string) => (opt.get(k) === undefined ? undefined : Number(opt.get(k)));
      const limits = { ...(int('min-batch') !== undefined ? { minBatch: int('min-batch')! } : {}), ...(int('runs-per-day') !== undefined ? { runsPerDay: int('runs-per-day')! } : {}) };
      out(await partners.add({ partnerId: arg, publicKey: key, ...(opt.get('name') ? { name: opt.get('name')! } : {}), allowedFlags: (opt.get('flags') ?? '').split(',').map((f) => f.trim()).filter(Boolean), limits }));
    } else if (sub === 'list') out({ partners: await partners.list() });
    else if (sub === 'revoke' && arg) {
      await partners.revoke(arg);
      out({ revoked: arg });
    } else if (sub === 'runs') out({ runs: await partners.runs(arg ?? null) });
    else if (sub === 'refresh') out(await partners.refresh());
    else if (sub === 'answer' && arg) {
      let doc: unknown;
      try {
        doc = JSON.parse(readText(io, arg, 'Request file'));
      } catch (e) {
        if (e instanceof PartnerInputError) throw e;
        throw new PartnerInputError('REQUEST_FILE_INVALID', 'Request file is not JSON');
      }
      const result = await partners.answerRequestFile(doc);
      writeFileAtomic(path.resolve(io.cwd, need(opt, 'out')), JSON.stringify(result));
      out({ runId: result.payload.runId, partnerId: result.payload.partnerId, submitted: result.payload.submitted, matched: result.payload.matched });
    } else throw new PartnerCliUsageError(`unknown command registry partner ${pos.join(' ')}`);
    await registry.idle();
    return 0;
  } finally {
    await registry.dispose();
    await registry.closeStore();
  }
}
