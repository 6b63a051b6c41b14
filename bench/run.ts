// `npm run bench`: runs every registered benchmark (bench/suites/*) and writes docs/BENCHMARKS.md.
// `npm run bench -- --only face,finger` runs some suites and merges their results with the last full run;
// `--benchmarks id,id` narrows that to single benchmarks (the suite's other rows are kept).
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Benchmark, BenchResult } from './benchmark.js';
import { packageInfo } from '../main/platform/package-info.js';

interface SuiteRecord {
  suite: string;
  benchmark: string;
  title: string;
  results: BenchResult[];
  error?: string;
  date: string;
  machine: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const root = packageInfo().root;
const jsonFile = path.join(root, 'docs', 'benchmarks.json');
const mdFile = path.join(root, 'docs', 'BENCHMARKS.md');

function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${cpu.trim()} × ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}, Node ${process.versions.node}`;
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 100) return v.toFixed(0);
  if (Math.abs(v) >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

function render(records: SuiteRecord[]): string {
  const lines = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/run.ts). Each row: the metric, the measured value, the target from the issue when there is one, and the machine and date of the run.',
    '',
    '| suite | metric | value | target | met | machine | date |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of records) {
    if (r.error) {
      lines.push(`| ${r.suite} | ${r.title}: FAILED | ${r.error.replace(/\|/g, '/').slice(0, 200)} | | ✗ | ${r.machine} | ${r.date} |`);
      continue;
    }
    for (const x of r.results) {
      const met = x.pass === undefined ? '' : x.pass ? '✓' : '✗';
      lines.push(`| ${r.suite} | ${x.metric}${x.note ? ` (${x.note})` : ''} | ${fmt(x.value)} ${x.unit} | ${x.target ?? ''} | ${met} | ${r.machine} | ${r.date} |`);
    }
  }
  return lines.join('\n') + '\n';
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const onlyIdx = args.indexOf('--only');
  const only = onlyIdx >= 0 ? new Set((args[onlyIdx + 1] ?? '').split(',')) : null;
  const benchIdx = args.indexOf('--benchmarks');
  const picked = benchIdx >= 0 ? new Set((args[benchIdx + 1] ?? '').split(',')) : null;
  const suitesDir = path.join(here, 'suites');
  const files = existsSync(suitesDir) ? readdirSync(suitesDir).filter((f) => f.endsWith('.js')).sort() : [];
  const fresh: SuiteRecord[] = [];
  const date = new Date().toISOString().slice(0, 10);
  for (const file of files) {
    const suite = file.replace(/\.js$/, '');
    if (only && !only.has(suite)) continue;
    const mod = (await import(pathToFileURL(path.join(suitesDir, file)).href)) as { benchmarks?: Benchmark[] };
    for (const b of mod.benchmarks ?? []) {
      if (picked && !picked.has(b.id)) continue;
      process.stdout.write(`bench ${suite}/${b.id} … `);
      try {
        const results = await b.run();
        fresh.push({ suite, benchmark: b.id, title: b.title, results, date, machine: machine() });
        process.stdout.write(results.map((r) => `${r.metric}=${fmt(r.value)}${r.unit}`).join(', ') + '\n');
      } catch (error) {
        fresh.push({ suite, benchmark: b.id, title: b.title, results: [], error: (error as Error).message, date, machine: machine() });
        process.stdout.write(`FAILED: ${(error as Error).message}\n`);
      }
    }
  }
  // Re-read just before writing: other suites may have been run (and written) while these ran.
  const previous: SuiteRecord[] = (only || picked) && existsSync(jsonFile) ? (JSON.parse(readFileSync(jsonFile, 'utf8')) as SuiteRecord[]) : [];
  const replaced = (r: SuiteRecord) => (picked ? picked.has(r.benchmark) : only?.has(r.suite) ?? false);
  const records = [...previous.filter((r) => !replaced(r)), ...fresh];
  records.sort((a, b) => a.suite.localeCompare(b.suite) || a.benchmark.localeCompare(b.benchmark));
  writeFileSync(jsonFile, JSON.stringify(records, null, 2) + '\n');
  writeFileSync(mdFile, render(records));
  console.log(`wrote ${path.relative(root, mdFile)} (${records.length} benchmarks)`);
}

await main();
