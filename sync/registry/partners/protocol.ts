// What crosses between a partner and the registry: a batch of 32-byte HMACs (HTTP body, or a signed request file
// over USB) and a signed result holding only the partner's own hashes that matched, with the allowed flags.
import { z } from 'zod';

export const PARTNER_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;
export const FLAG = /^[a-z0-9][a-z0-9-]{0,39}$/;
export const MATCH_PATH = '/v1/partners/match';

export interface PartnerMatchResult {
  type: 'partner-match-result';
  runId: string;
  partnerId: string;
  at: string;
  via: 'online' | 'usb';
  /** Distinct hashes received. */
  submitted: number;
  matched: number;
  /** Each matched hash (hex, as the partner sent it) with the programme flags the partner may see. */
  matches: { hash: string; flags: string[] }[];
}

export const matchRequestPayloadSchema = z.strictObject({
  type: z.literal('partner-match-request'),
  partnerId: z.string().regex(PARTNER_ID),
  createdAt: z.iso.datetime(),
  nonce: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
  /** base64 of the concatenated 32-byte hashes. */
  hashes: z.base64(),
});
export type MatchRequestPayload = z.infer<typeof matchRequestPayloadSchema>;

export const matchRequestFileSchema = z.strictObject({
  payload: z.unknown(),
  alg: z.literal('ed25519'),
  keyId: z.string().max(64),
  signature: z.string().max(128),
});
