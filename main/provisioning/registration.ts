// Online registration with every refusal explained: the registry is probed first (reachable? its signing key the
// pinned one? clocks within the signature window?) so a token is only spent when registration can succeed, then
// the registry's own refusals (token expired / already used / unknown / other centre, kiosk id taken) are mapped
// to provisioning codes.
import { publicKeyOf } from '../../sync/packet/keys.js';
import { publicKeyFingerprint } from '../../sync/packet/keys.js';
import { RegistryRequestError, RegistryResponseInvalidError } from '../../sync/errors.js';
import { registerKiosk } from '../../sync/engine/client.js';
import { httpRequest, TransportError } from '../../sync/engine/http.js';
import type { KioskIdentity, Registration } from '../../sync/engine/identity.js';
import { ProvisioningError } from './errors.js';

/** The registry refuses signed requests outside ±300 s (sync/registry/registry.ts skewSeconds). */
export const CLOCK_SKEW_REFUSE_MS = 300_000;
/** Above this the clock item is not green (sync still works, but receipts and audit times drift). */
export const CLOCK_SKEW_WARN_MS = 60_000;

export interface RegistryProbe {
  url: string;
  signingPublicKey: string;
  fingerprint: string;
  registryTime: string;
  /** Registry clock minus kiosk clock, ms. */
  skewMs: number;
}

export function parseRegistryUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (cause) {
    throw new ProvisioningError('PROVISION_REGISTRY_URL_INVALID', `Registry URL is not a URL: ${raw}`, { cause, details: { url: raw } });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ProvisioningError('PROVISION_REGISTRY_URL_INVALID', 'Registry URL must start with https:// (or http:// on a test network)', { details: { url: raw } });
  return url;
}

export async function probeRegistry(rawUrl: string, options: { clock: () => number; timeoutMs?: number }): Promise<RegistryProbe> {
  const url = parseRegistryUrl(rawUrl);
  const t0 = options.clock();
  let res;
  try {
    res = await httpRequest(new URL('/v1/health', url), { method: 'GET', headers: { accept: 'application/json' }, timeoutMs: options.timeoutMs ?? 8000 });
  } catch (cause) {
    const reason = cause instanceof TransportError ? cause.message : String(cause);
    throw new ProvisioningError('PROVISION_REGISTRY_UNREACHABLE', `Registry ${url.origin} cannot be reached (${reason})`, { cause, details: { url: url.origin, reason } });
  }
  const t1 = options.clock();
  let body: { ok?: unknown; signingPublicKey?: unknown; time?: unknown } = {};
  try {
    body = JSON.parse(res.body.toString('utf8')) as typeof body;
  } catch {
    // handled below
  }
  if (res.status !== 200 || body.ok !== true || typeof body.signingPublicKey !== 'string' || typeof body.time !== 'string' || !Number.isFinite(Date.parse(body.time))) {
    throw new ProvisioningError('PROVISION_REGISTRY_UNREACHABLE', `${url.origin} answered HTTP ${res.status} but is not a registry (no /v1/health)`, { details: { url: url.origin, status: res.status, reason: 'not_a_registry' } });
  }
  let fingerprint: string;
  try {
    fingerprint = publicKeyFingerprint(publicKeyOf(body.signingPublicKey, 'Ed25519'));
  } catch (cause) {
    throw new ProvisioningError('PROVISION_REGISTRY_UNREACHABLE', `${url.origin} sent no valid signing key`, { cause, details: { url: url.origin, reason: 'bad_key' } });
  }
  const skewMs = Math.round(Date.parse(body.time) - (t0 + t1) / 2);
  return { url: url.toString().replace(/\/$/, ''), signingPublicKey: body.signingPublicKey, fingerprint, registryTime: body.time, skewMs };
}

export function normaliseFingerprint(fp: string): string {
  return fp.toLowerCase().replace(/[^0-9a-f]/g, '');
}

export function checkPinnedKey(actual: string, pinned: string): void {
  if (normaliseFingerprint(actual) !== normaliseFingerprint(pinned)) {
    throw new ProvisioningError('PROVISION_REGISTRY_KEY_MISMATCH', `The registry's signing key fingerprint ${actual} is not the expected ${normaliseFingerprint(pinned)}: wrong registry, or someone in between`, {
      details: { expected: normaliseFingerprint(pinned), actual },
    });
  }
}

export function checkClock(skewMs: number, registryTime: string, kioskTime: number): void {
  if (Math.abs(skewMs) > CLOCK_SKEW_REFUSE_MS) {
    throw new ProvisioningError('PROVISION_CLOCK_SKEW', `The kiosk clock is ${Math.abs(Math.round(skewMs / 1000))} s ${skewMs > 0 ? 'behind' : 'ahead of'} the registry's; set the date and time, then retry`, {
      details: { skewSeconds: Math.round(-skewMs / 1000), offSeconds: Math.abs(Math.round(skewMs / 1000)), registryTime, kioskTime: new Date(kioskTime).toISOString(), windowSeconds: CLOCK_SKEW_REFUSE_MS / 1000 },
    });
  }
}

/** Maps what registerKiosk throws onto provisioning codes. */
export function explainRegistrationError(error: unknown, url: string): ProvisioningError {
  if (error instanceof ProvisioningError) return error;
  if (error instanceof RegistryRequestError) {
    const reason = (error.details as { reason?: string } | undefined)?.reason;
    if (error.code === 'TOKEN_INVALID') {
      if (reason === 'expired') return new ProvisioningError('PROVISION_TOKEN_EXPIRED', 'The enrollment token has expired; ask the registry administrator for a new one', { cause: error, details: { expiresAt: (error.details as { expiresAt?: string }).expiresAt ?? null } });
      if (reason === 'used') return new ProvisioningError('PROVISION_TOKEN_USED', 'The enrollment token was already used (by this or another kiosk); each token registers one kiosk', { cause: error });
      if (reason === 'centre') return new ProvisioningError('PROVISION_TOKEN_WRONG_CENTRE', 'The enrollment token was issued for another centre', { cause: error });
      return new ProvisioningError('PROVISION_TOKEN_UNKNOWN', 'The registry does not know this enrollment token; check it was typed exactly', { cause: error });
    }
    if (error.code === 'KIOSK_CONFLICT') return new ProvisioningError('PROVISION_KIOSK_CONFLICT', 'This kiosk id is already registered with another key (a replaced or reinstalled kiosk): the administrator must revoke it or assign a new kiosk id', { cause: error });
    if (error.code === 'KIOSK_REVOKED') return new ProvisioningError('PROVISION_KIOSK_REVOKED', 'This kiosk is revoked at the registry', { cause: error });
    if (error.status >= 500) return new ProvisioningError('PROVISION_REGISTRY_UNREACHABLE', `Registry error HTTP ${error.status}; try again later`, { cause: error, details: { url, status: error.status, reason: 'server_error' } });
    return new ProvisioningError('PROVISION_REGISTRY_REFUSED', `The registry refused the registration: ${error.code}`, { cause: error, details: { registryCode: error.code } });
  }
  if (error instanceof RegistryResponseInvalidError) return new ProvisioningError('PROVISION_REGISTRY_KEY_MISMATCH', `The registry's answer does not verify (${String(error.details?.reason)})`, { cause: error, details: { reason: error.details?.reason ?? null } });
  if (error instanceof TransportError) return new ProvisioningError('PROVISION_REGISTRY_UNREACHABLE', `Registry ${url} cannot be reached (${error.message})`, { cause: error, details: { url, reason: error.message } });
  return new ProvisioningError('PROVISION_REGISTRY_REFUSED', 'Registration failed', { cause: error });
}

/** Probe, then register. The token is spent only after the key pin and the clock check passed. */
export async function registerOnline(input: { registryUrl: string; token: string; pinnedFingerprint: string; identity: KioskIdentity; clock: () => number }): Promise<{ registration: Registration; probe: RegistryProbe }> {
  const probe = await probeRegistry(input.registryUrl, { clock: input.clock });
  checkPinnedKey(probe.fingerprint, input.pinnedFingerprint);
  checkClock(probe.skewMs, probe.registryTime, input.clock());
  let registration: Registration;
  try {
    registration = await registerKiosk(probe.url, input.token, input.identity, { timeoutMs: 15_000 });
  } catch (error) {
    throw explainRegistrationError(error, probe.url);
  }
  // The key the registration answer is signed with must be the pinned one too (not only /v1/health's).
  checkPinnedKey(publicKeyFingerprint(publicKeyOf(registration.signingPublicKey, 'Ed25519')), input.pinnedFingerprint);
  return { registration, probe };
}
