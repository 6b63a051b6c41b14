// Finding 9: the store's key-encryption key sealed to a TPM 2.0, against a software TPM (swtpm) started by the test.
// A copy of the data folder (key ring + database) opened with another TPM — the stolen-disk case — cannot unwrap the
// key; the same TPM opens it after a restart. Skips loudly where swtpm / tpm2-tools are not installed.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TpmProtector, tpmAvailable } from '../../../main/store/crypto/tpm.js';
import { hasSwtpm, startSwtpm, type SoftTpm } from '../../helpers/swtpm.js';
import { clerk, fullPatch, openTest } from '../store/helpers.js';

const tools = hasSwtpm();
if (!tools.ok) console.warn(`SKIPPED TPM tests: ${tools.reason}`);

describe.skipIf(!tools.ok)('TPM 2.0 key protector (swtpm)', () => {
  let tpm: SoftTpm;
  let other: SoftTpm;
  let dir: string;
  beforeAll(async () => {
    tpm = await startSwtpm();
    other = await startSwtpm();
    dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-sec-tpm-'));
  });
  afterAll(async () => {
    await tpm?.stop();
    await other?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('wraps and unwraps with the same TPM; another TPM or a tampered blob cannot unwrap', async () => {
    expect(await tpmAvailable(tpm.tcti)).toBe(true);
    const secret = new Uint8Array(Buffer.from('0123456789abcdef0123456789abcdef'));
    const wrapped = await new TpmProtector({ tcti: tpm.tcti }).wrap(secret);
    expect(wrapped.mode).toBe('tpm2');
    expect(JSON.stringify(wrapped)).not.toContain(Buffer.from(secret).toString('base64'));
    expect(Buffer.from(await new TpmProtector({ tcti: tpm.tcti }).unwrap(wrapped)).equals(Buffer.from(secret))).toBe(true);
    await expect(new TpmProtector({ tcti: other.tcti }).unwrap(wrapped)).rejects.toMatchObject({ code: 'KEY_UNWRAP_FAILED' });
    const priv = Buffer.from(String(wrapped.params.priv), 'base64');
    priv[priv.length - 3]! ^= 0xff;
    await expect(new TpmProtector({ tcti: tpm.tcti }).unwrap({ ...wrapped, params: { ...wrapped.params, priv: priv.toString('base64') } })).rejects.toMatchObject({ code: 'KEY_UNWRAP_FAILED' });
  });

  it('a store sealed to this TPM reopens on it; the same data folder copied to another machine (other TPM) does not open', async () => {
    const data = path.join(dir, 'kiosk');
    let s = await openTest(data, { protector: new TpmProtector({ tcti: tpm.tcti }) });
    const r = await s.enrollment.createDraft(clerk, fullPatch(1));
    expect(s.keyMode).toMatchObject({ mode: 'tpm2', weak: false });
    await s.dispose();
    const ring = JSON.parse(readFileSync(path.join(data, 'keyring.json'), 'utf8')) as { wrapped: { mode: string } };
    expect(ring.wrapped.mode).toBe('tpm2');
    s = await openTest(data, { protector: new TpmProtector({ tcti: tpm.tcti }) });
    expect((await s.enrollment.get(clerk, r.id)).rid).toBe(r.rid);
    await s.dispose();

    const stolen = path.join(dir, 'stolen');
    cpSync(data, stolen, { recursive: true });
    await expect(openTest(stolen, { protector: new TpmProtector({ tcti: other.tcti }) })).rejects.toMatchObject({ code: 'KEY_UNWRAP_FAILED' });
    writeFileSync(path.join(dir, 'marker'), 'x');
  });
});
