// Regenerates the troubleshooting tables in docs/DEPLOYMENT.md and docs/DEPLOYMENT.ar.md from
// main/diagnostics/troubleshooting.ts: `npx tsx scripts/deployment-troubleshooting.ts`.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { troubleshootingTable } from '../main/diagnostics/troubleshooting.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
for (const [file, lang] of [['DEPLOYMENT.md', 'en'], ['DEPLOYMENT.ar.md', 'ar']] as const) {
  const p = path.join(root, 'docs', file);
  const doc = readFileSync(p, 'utf8');
  const next = doc.replace(/(<!-- troubleshooting:begin[^>]*-->\n)[\s\S]*?(<!-- troubleshooting:end -->)/, (_m, a: string, b: string) => `${a}${troubleshootingTable(lang)}${b}`);
  if (next === doc) continue;
  writeFileSync(p, next);
  process.stdout.write(`updated docs/${file}\n`);
}
