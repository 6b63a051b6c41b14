// Cross-matching benchmark (issue 19): a partner list of 100,000 national numbers against a registry of 100,000
// people with 5,000 in common. Timed: the partner hashing its CSV (`registry partner hash`'s code path), and one
// signed match run over HTTP on loopback (the registry verifies, updates and looks up its HMAC index for the partner,
// audits, signs). Building that index (at `partner add`) is reported apart. The result must hold exactly the 5,000.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Benchmark, BenchResult } from '../benchmark.js';
import { publicKeyOf, rawPublicKeyOf } from '../../sync/packet/keys.js';
import { matchOnline } from '../../sync/registry/partners/client.js';
import { csvColumn, parseCsv } from '../../main/platform/csv.js';
import { hashNationalNumbers, parsePartnerSecret } from '../../sync/registry/partners/hash.js';
import { serveRegistry } from '../../sync/registry/runtime.js';

const REGISTRY_PEOPLE = 100_000;
const PARTNER_ENTRIES = 100_000;
const IN_COMMON = 5_000;

const crossMatch: Benchmark = {
  id: 'partners-cross-match-100k',
  title: 'Cross-matching: 100,000 partner hashes vs 100,000 registry people, 5,000 in common (HTTP, loopback)',
  async run(): Promise<BenchResult[]> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-partners-'));
    const r = await serveRegistry({ dataDir: path.join(dir, 'registry') });
    try {
      // Registry: people 0..99,999; partner: people 95,000..194,999 → 5,000 in common, written with dashes.
      const nn = (i: number) => `29${String(1_000_000_000_000 + i * 7919).slice(1)}`;
      const seed = Array.from({ length: REGISTRY_PEOPLE }, (_, i) => ({ rid: `RID-${i}`, packetId: `P-${i}`, nationalNumber: nn(i), flags: i % 3 === 0 ? ['cash-transfer'] : [] }));
      const t0 = performance.now();
      await r.partners.importPeople(seed);
      const seedMs = performance.now() - t0;
      const key = generateKeyPairSync('ed25519').privateKey;
      const t3 = performance.now();
      const { secret } = await r.partners.add({ partnerId: 'bench', publicKey: rawPublicKeyOf(key).toString('base64'), allowedFlags: ['cash-transfer'] });
      const indexMs = performance.now() - t3;
      const first = REGISTRY_PEOPLE - IN_COMMON;
      const csv = ['national_number', ...Array.from({ length: PARTNER_ENTRIES }, (_, k) => nn(first + k).replace(/^(\d{7})/, '$1-'))].join('\n');

      const t1 = performance.now();
      const hashed = hashNationalNumbers(parsePartnerSecret(secret), csvColumn(parseCsv(csv)));
      const hashMs = performance.now() - t1;

      const t2 = performance.now();
      const result = await matchOnline({ url: r.url, partnerId: 'bench', privateKey: key, registrySigningKey: publicKeyOf(r.registry.keys.signingPublicKey, 'Ed25519'), hashes: hashed.hashes });
      const matchMs = performance.now() - t2;
      const matched = result.payload.matched;
      const audit = (await r.registry.store.listAudit(10)).find((a) => a.event === 'partner.match');
      const exact = matched === IN_COMMON && audit?.details.matched === IN_COMMON;
      return [
        { metric: 'partner: hash 100k CSV rows', value: Math.round(hashMs), unit: 'ms' },
        { metric: 'registry: match run (HTTP, index + match + audit + sign)', value: Math.round(matchMs), unit: 'ms' },
        { metric: 'total (hash + match)', value: Math.round(hashMs + matchMs), unit: 'ms', target: '≤ 10000 ms', pass: hashMs + matchMs <= 10_000 && exact },
        { metric: 'matched (expected 5,000)', value: matched, unit: 'entries', target: '= 5000', pass: exact, note: `audited: ${String(audit?.details.matched)}` },
        { metric: 'registry: build the partner HMAC index of 100k people (at `partner add`, not part of a run)', value: Math.round(indexMs), unit: 'ms' },
        { metric: 'seeding 100k sealed national numbers (not part of the run)', value: Math.round(seedMs), unit: 'ms' },
      ];
    } finally {
      await r.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export const benchmarks: Benchmark[] = [crossMatch];
