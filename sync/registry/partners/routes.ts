// HTTP route of cross-matching: POST /v1/partners/match, body = concatenated 32-byte hashes, signed by the partner.
import type { FastifyInstance } from 'fastify';
import { SyncError } from '../../errors.js';
import { HASH_BYTES } from './hash.js';
import { MATCH_PATH } from './protocol.js';
import { MAX_BATCH, type PartnerService } from './service.js';

/** Routes under /v1/partners/ are authenticated with partner keys (headers in server.ts's onRequest, body here), not
 * with kiosk keys. */
export const PARTNER_ROUTE_PREFIX = '/v1/partners/';

export function registerPartnerRoutes(app: FastifyInstance, partners: PartnerService, targetUri: (url: string, host: string | undefined) => string): void {
  app.post(MATCH_PATH, { bodyLimit: MAX_BATCH * HASH_BYTES }, async (req) => {
    const body = req.body instanceof Buffer ? req.body : Buffer.alloc(0);
    if (req.headers['content-type'] !== 'application/octet-stream') throw new SyncError('VALIDATION_FAILED', 'Content-Type must be application/octet-stream', 415);
    // The headers were authenticated before the body was read (server.ts onRequest); now the body against its digest.
    const partner = req.partner ?? (await partners.authenticateHeaders({ method: req.method, targetUri: targetUri(req.url, req.headers.host), headers: req.headers }));
    partners.checkDigest(req.headers, body, partner);
    return partners.match(partner, body, 'online');
  });
}
