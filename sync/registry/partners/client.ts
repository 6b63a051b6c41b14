// Partner side over HTTP: sends its hashes signed with its Ed25519 key and verifies the registry's signed answer.
import type { KeyObject } from 'node:crypto';
import { httpRequest } from '../../engine/http.js';
import { RegistryRequestError, RegistryResponseInvalidError } from '../../errors.js';
import { signRequest } from '../../protocol/http-signature.js';
import { verifyDoc, type SignedDoc } from '../../protocol/signed-doc.js';
import { MATCH_PATH, type PartnerMatchResult } from './protocol.js';

/** Checks a result document: signed by the registry's key, for this partner, only hashes the partner sent. */
export function verifyMatchResult(doc: unknown, registrySigningKey: KeyObject, partnerId: string, sent?: Set<string>): SignedDoc<PartnerMatchResult> {
  if (!verifyDoc(doc, registrySigningKey)) throw new RegistryResponseInvalidError('match result signature does not verify with the registry key');
  const p = doc.payload as unknown as PartnerMatchResult;
  if (p.type !== 'partner-match-result' || p.partnerId !== partnerId || !Array.isArray(p.matches)) throw new RegistryResponseInvalidError('not a match result for this partner');
  if (sent && p.matches.some((m) => !sent.has(m.hash))) throw new RegistryResponseInvalidError('result names a hash that was not sent');
  return doc as unknown as SignedDoc<PartnerMatchResult>;
}

export async function matchOnline(input: { url: string; partnerId: string; privateKey: KeyObject; registrySigningKey: KeyObject; hashes: Buffer[]; timeoutMs?: number }): Promise<SignedDoc<PartnerMatchResult>> {
  const url = new URL(MATCH_PATH, input.url);
  const body = Buffer.concat(input.hashes);
  const sig = signRequest({ method: 'POST', targetUri: url.toString(), body, keyid: `partner:${input.partnerId}`, privateKey: input.privateKey });
  const res = await httpRequest(url, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', 'content-digest': sig['content-digest'], 'signature-input': sig['signature-input'], signature: sig.signature },
    body,
    timeoutMs: input.timeoutMs ?? 120_000,
  });
  let json: unknown;
  try {
    json = JSON.parse(res.body.toString('utf8'));
  } catch {
    throw new RegistryResponseInvalidError(`HTTP ${res.status} without a JSON body`);
  }
  if (res.status !== 200) {
    const e = (json as { error?: { code?: string; message?: string; details?: Record<string, unknown> } }).error;
    throw new RegistryRequestError(res.status, e?.code ?? 'HTTP_ERROR', e?.message ?? `HTTP ${res.status}`, e?.details);
  }
  return verifyMatchResult(json, input.registrySigningKey, input.partnerId, new Set(input.hashes.map((h) => h.toString('hex'))));
}
