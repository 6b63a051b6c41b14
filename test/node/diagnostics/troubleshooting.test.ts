// Every error code in the project has a "what to do" row, in both deployment guides. The codes are collected from
// the source itself, so codes added by any area are caught: literal codes passed to error constructors
// (`super('CODE'`, `new XError('CODE'`), `code: 'CODE'` / `code ?? 'CODE'` options and shapes, and the exported
// `*_CODES` lists (contract, registry, provisioning).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/kiosk.js';
import { TROUBLESHOOTING, troubleshootingTable } from '../../../main/diagnostics/troubleshooting.js';
import { projectRoot } from '../../helpers/fixtures.js';

export function sourceErrorCodes(root = projectRoot): Map<string, string> {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = path.join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.c?ts$/.test(f) && !f.endsWith('.d.ts')) files.push(p);
    }
  };
  for (const r of ['main', 'drivers', 'models', 'sync']) walk(path.join(root, r));
  const codes = new Map<string, string>();
  const add = (code: string, file: string) => codes.has(code) || codes.set(code, path.relative(root, file));
  for (const f of files) {
    const s = readFileSync(f, 'utf8');
    for (const m of s.matchAll(/\b(?:super|new [A-Z]\w*|[a-z]\w*Error|KioskError)\(\s*['"]([A-Z][A-Z0-9_]{3,})['"]/g)) add(m[1]!, f);
    for (const m of s.matchAll(/\bcode(?::| \?\?) '([A-Z][A-Z0-9_]{3,})'/g)) add(m[1]!, f);
    for (const m of s.matchAll(/export const \w*_CODES\s*=\s*\[([\s\S]*?)\]\s*as const/g)) for (const x of m[1]!.matchAll(/'([A-Z][A-Z0-9_]+)'/g)) add(x[1]!, f);
  }
  return codes;
}

function section(doc: string): string {
  const m = /<!-- troubleshooting:begin[^>]*-->\n([\s\S]*?)<!-- troubleshooting:end -->/.exec(doc);
  return m?.[1] ?? '';
}

describe('troubleshooting table', () => {
  const codes = sourceErrorCodes();

  it('the collector finds codes of every kind (positive controls)', () => {
    for (const c of ['STORE_FULL', 'DEVICE_TIMEOUT', 'UPDATE_SIGNATURE_INVALID', 'WSQ_CORRUPT', 'KIOSK_REVOKED', 'FORBIDDEN_SENDER', 'DISK_SPACE_LOW']) expect(codes.has(c), c).toBe(true);
    expect(codes.size).toBeGreaterThan(100);
  });

  it('every error code in the source has a row (naming the file of any that does not)', () => {
    const documented = new Set(TROUBLESHOOTING.map((e) => e.code));
    const missing = [...codes].filter(([c]) => !documented.has(c)).map(([c, f]) => `${c} (${f})`);
    expect(missing).toEqual([]);
  });

  it('rows are unique, in both languages, and say what to do', () => {
    const seen = new Set<string>();
    for (const e of TROUBLESHOOTING) {
      expect(seen.has(e.code), e.code).toBe(false);
      seen.add(e.code);
      expect(e.en.length, e.code).toBeGreaterThan(20);
      expect(e.ar, e.code).toMatch(/[\u0600-\u06FF]/);
    }
  });

  it('docs/DEPLOYMENT.md and docs/DEPLOYMENT.ar.md carry the current generated table (`kiosk explain --markdown en|ar`)', () => {
    const en = readFileSync(path.join(projectRoot, 'docs', 'DEPLOYMENT.md'), 'utf8');
    const ar = readFileSync(path.join(projectRoot, 'docs', 'DEPLOYMENT.ar.md'), 'utf8');
    expect(section(en)).toBe(troubleshootingTable('en'));
    expect(section(ar)).toBe(troubleshootingTable('ar'));
    for (const [code] of codes) {
      expect(en, code).toContain(`\`${code}\``);
      expect(ar, code).toContain(`\`${code}\``);
    }
  });

  it('kiosk explain CODE', async () => {
    let out = '';
    const io = { stdout: new Writable({ write: (c, _e, cb) => ((out += String(c)), cb()) }), stderr: new Writable({ write: (_c, _e, cb) => cb() }), cwd: projectRoot, stopSignal: new AbortController().signal };
    expect(await runCli(['explain', 'disk_space_low'], io)).toBe(0);
    expect(out).toContain('DISK_SPACE_LOW (enrollment): New enrollments are blocked');
    out = '';
    expect(await runCli(['explain', 'SCREEN_LOCKED', '--lang', 'ar'], io)).toBe(0);
    expect(out).toContain('الشاشة مقفلة');
    expect(await runCli(['explain', 'NO_SUCH_CODE'], io)).toBe(1);
  });
});
