// TPM 2.0 key protector (Linux, tpm2-tools from Debian): a random 32-byte KEK is sealed into a TPM "sealed data"
// object under the owner hierarchy's primary key; the key ring keeps only the object's public and TPM-encrypted
// private blobs. Those blobs can be loaded and unsealed only by the same TPM chip, so a disk taken out of the kiosk
// (or copied) carries no usable key — the thief needs the kiosk's own TPM. With `pcrs` set, unsealing also requires
// the boot measurements (firmware, boot loader) to match those at sealing (a policy on the PCR values).
//
// The tools are driven with execFile (no shell); TPM2TOOLS_TCTI selects the TPM: the kernel resource manager
// (`device:/dev/tpmrm0`) on a kiosk, a software TPM (`swtpm:port=…`) in tests.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KioskError } from '../../contract/errors.js';
import { KeyModeMismatchError, KeyUnwrapError } from '../errors.js';
import { open, seal } from './aead.js';
import type { KeyModeReport, KeyProtector, WrappedKey } from './protectors.js';

const WRAP_AAD = Buffer.from('kiosk-keyring/tpm2/v1', 'utf8');

export class TpmUnavailableError extends KioskError {
  override name = 'TpmUnavailableError';
  constructor(reason: string, cause?: unknown) {
    super('TPM_UNAVAILABLE', `TPM 2.0 not usable: ${reason}`, { details: { reason }, ...(cause ? { cause } : {}) });
  }
}

export interface TpmOptions {
  /** TCTI string (default: KIOSK_TPM_TCTI, else `device:/dev/tpmrm0`). */
  tcti?: string;
  /** PCR selection the seal is bound to, e.g. `sha256:0,2,4,7` (none by default). */
  pcrs?: string;
  timeoutMs?: number;
}

export const DEFAULT_TCTI = 'device:/dev/tpmrm0';

function run(cmd: string, args: string[], o: { tcti: string; cwd: string; timeoutMs: number; input?: Buffer }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { cwd: o.cwd, env: { ...process.env, TPM2TOOLS_TCTI: o.tcti }, encoding: 'buffer', timeout: o.timeoutMs, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new TpmUnavailableError(`${cmd} failed: ${String(stderr).trim().split('\n').pop() ?? err.message}`.slice(0, 300), err));
      else resolve(stdout);
    });
    if (o.input) child.stdin?.end(o.input);
  });
}

/** True when tpm2-tools are installed and a TPM answers at `tcti`. */
export async function tpmAvailable(tcti = process.env.KIOSK_TPM_TCTI ?? DEFAULT_TCTI): Promise<boolean> {
  if (!['/usr/bin/tpm2_createprimary', '/usr/local/bin/tpm2_createprimary'].some((p) => existsSync(p))) return false;
  if (tcti.startsWith('device:') && !existsSync(tcti.slice('device:'.length))) return false;
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'kiosk-tpm-'));
  try {
    await run('tpm2_getrandom', ['--hex', '8'], { tcti, cwd, timeoutMs: 10_000 });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

export class TpmProtector implements KeyProtector {
  readonly mode = 'tpm2' as const;
  private readonly tcti: string;

  constructor(private readonly o: TpmOptions = {}) {
    this.tcti = o.tcti ?? process.env.KIOSK_TPM_TCTI ?? DEFAULT_TCTI;
  }

  report(): KeyModeReport {
    return { mode: this.mode, weak: false, description: `KEK sealed to this kiosk's TPM 2.0${this.o.pcrs ? ` (bound to PCRs ${this.o.pcrs})` : ''}` };
  }

  /** Runs `fn` in a private scratch folder (context files never leave it) and removes it. */
  private async scratch<T>(fn: (cwd: string, tool: (cmd: string, args: string[], input?: Buffer) => Promise<Buffer>) => Promise<T>): Promise<T> {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'kiosk-tpm-'));
    const raw = (cmd: string, args: string[], input?: Buffer) => run(cmd, args, { tcti: this.tcti, cwd, timeoutMs: this.o.timeoutMs ?? 30_000, ...(input ? { input } : {}) });
    // Without the kernel's resource manager (a TPM reached directly, e.g. swtpm) each tool leaves its objects in the
    // TPM's few slots: flush transient objects and sessions after every command (the saved context files reload them).
    const flush = async () => {
      await raw('tpm2_flushcontext', ['-t']).catch(() => undefined);
      await raw('tpm2_flushcontext', ['-s']).catch(() => undefined);
    };
    const tool = async (cmd: string, args: string[], input?: Buffer) => {
      try {
        return await raw(cmd, args, input);
      } finally {
        await flush();
      }
    };
    try {
      await flush();
      return await fn(cwd, tool);
    } finally {
      await flush();
      rmSync(cwd, { recursive: true, force: true });
    }
  }

  private async primary(tool: (cmd: string, args: string[]) => Promise<Buffer>): Promise<void> {
    // The owner-hierarchy primary is derived from the TPM's seed: the same template gives the same key every time.
    await tool('tpm2_createprimary', ['-Q', '-C', 'o', '-g', 'sha256', '-G', 'ecc', '-c', 'primary.ctx']);
  }

  async wrap(secret: Uint8Array): Promise<WrappedKey> {
    const kek = randomBytes(32);
    try {
      return await this.scratch(async (cwd, tool) => {
        await this.primary(tool);
        const policy: string[] = [];
        if (this.o.pcrs) {
          await tool('tpm2_createpolicy', ['-Q', '--policy-pcr', '-l', this.o.pcrs, '-L', 'pcr.policy']);
          policy.push('-L', 'pcr.policy');
        }
        writeFileSync(path.join(cwd, 'kek.bin'), kek, { mode: 0o600 });
        try {
          await tool('tpm2_create', ['-Q', '-C', 'primary.ctx', '-u', 'seal.pub', '-r', 'seal.priv', '-i', 'kek.bin', ...policy]);
        } finally {
          writeFileSync(path.join(cwd, 'kek.bin'), Buffer.alloc(32));
        }
        return {
          mode: this.mode,
          params: {
            pub: readFileSync(path.join(cwd, 'seal.pub')).toString('base64'),
            priv: readFileSync(path.join(cwd, 'seal.priv')).toString('base64'),
            ...(this.o.pcrs ? { pcrs: this.o.pcrs } : {}),
          },
          ciphertext: Buffer.from(seal(kek, secret, WRAP_AAD)).toString('base64'),
        };
      });
    } finally {
      kek.fill(0);
    }
  }

  async unwrap(wrapped: WrappedKey): Promise<Uint8Array> {
    if (wrapped.mode !== this.mode) throw new KeyModeMismatchError(wrapped.mode, this.mode);
    const { pub, priv, pcrs } = wrapped.params;
    if (typeof pub !== 'string' || typeof priv !== 'string') throw new KeyUnwrapError(this.mode);
    const kek = await this.scratch(async (cwd, tool) => {
      await this.primary(tool);
      writeFileSync(path.join(cwd, 'seal.pub'), Buffer.from(pub, 'base64'));
      writeFileSync(path.join(cwd, 'seal.priv'), Buffer.from(priv, 'base64'));
      try {
        await tool('tpm2_load', ['-Q', '-C', 'primary.ctx', '-u', 'seal.pub', '-r', 'seal.priv', '-c', 'seal.ctx']);
        return await tool('tpm2_unseal', ['-c', 'seal.ctx', ...(typeof pcrs === 'string' ? ['-p', `pcr:${pcrs}`] : [])]);
      } catch (cause) {
        // Another TPM (a disk moved to another machine), changed boot measurements, or a tampered blob.
        throw new KeyUnwrapError(this.mode, { cause });
      }
    });
    try {
      if (kek.length !== 32) throw new KeyUnwrapError(this.mode);
      const out = open(kek, Buffer.from(wrapped.ciphertext, 'base64'), WRAP_AAD);
      if (!out) throw new KeyUnwrapError(this.mode);
      return out;
    } finally {
      kek.fill(0);
    }
  }
}
