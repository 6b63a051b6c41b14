import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../../main/cli/args.js';
import { runCli } from '../../../main/cli/kiosk.js';
import { packageInfo } from '../../../main/platform/package-info.js';

function io() {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: new Writable({ write: (c, _e, cb) => ((out += String(c)), cb()) }),
      stderr: new Writable({ write: (c, _e, cb) => ((err += String(c)), cb()) }),
      cwd: process.cwd(),
      stopSignal: new AbortController().signal,
    },
    out: () => out,
    err: () => err,
  };
}

describe('kiosk CLI', () => {
  it('prints the version', async () => {
    const t = io();
    expect(await runCli(['--version'], t.io)).toBe(0);
    expect(t.out().trim()).toBe(packageInfo().version);
  });

  it('lists commands and refuses unknown ones', async () => {
    const t = io();
    expect(await runCli(['--help'], t.io)).toBe(0);
    expect(t.out()).toContain('kiosk doctor');
    expect(await runCli(['frobnicate'], t.io)).toBe(2);
    expect(t.err()).toContain('unknown command');
  });

  it('checks the config and names a bad key', async () => {
    const t = io();
    expect(await runCli(['config', 'check'], t.io)).toBe(0);
    expect(t.out()).toContain('demo mode');
    expect(await runCli(['config', 'check', '--config', '/nonexistent/kiosk.json'], t.io)).toBe(1);
    expect(t.err()).toContain('CONFIG_NOT_FOUND');
    expect(await runCli(['config', 'check', '--bogus'], t.io)).toBe(2);
  });

  it('checks the household questionnaire named in the config (issue 19): the XLSForm example loads, a broken one names its cell', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-cli-hh-'));
    try {
      const good = path.join(dir, 'good.json');
      writeFileSync(good, JSON.stringify({ household: { questionnaire: path.resolve('docs/examples/social-registry.xlsx') } }));
      const t = io();
      expect(await runCli(['config', 'check', '--config', good], t.io)).toBe(0);
      expect(t.out()).toContain('household questionnaire social_registry_household');
      const q = path.join(dir, 'q.json');
      writeFileSync(q, JSON.stringify({ id: 'x', version: '1', title: { ar: 'س', en: 'Q' }, choiceLists: {}, items: [{ kind: 'question', name: 'a', type: 'integer', label: { ar: 'أ', en: 'A' }, relevant: '${nope} = 1' }] }));
      const bad = path.join(dir, 'bad.json');
      writeFileSync(bad, JSON.stringify({ household: { questionnaire: q } }));
      const u = io();
      expect(await runCli(['config', 'check', '--config', bad], u.io)).toBe(1);
      expect(u.err()).toContain('QUESTIONNAIRE_INVALID');
      expect(u.err()).toContain('question "a" relevant: unknown question ${nope}');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs the doctor with a line per check', async () => {
    const t = io();
    const code = await runCli(['doctor', '--json'], t.io);
    const results = JSON.parse(t.out()) as { id: string; status: string }[];
    expect(results.map((r) => r.id)).toEqual(expect.arrayContaining(['node', 'native.better-sqlite3', 'native.serialport', 'native.onnxruntime-node', 'native.sharp', 'chromium', 'models']));
    expect(results.find((r) => r.id === 'native.better-sqlite3')?.status).toBe('ok');
    expect(code).toBe(results.some((r) => r.status === 'fail') ? 1 : 0);
  });

  it('parses options', () => {
    const p = parseArgs(['a', '--json', '--finger', '1=x.png', '--finger=2=y.png', 'b'], { boolean: ['json'], string: ['finger'] });
    expect(p.positionals).toEqual(['a', 'b']);
    expect(p.flags.get('finger')).toEqual(['1=x.png', '2=y.png']);
    expect(() => parseArgs(['--finger'], { string: ['finger'] })).toThrow(/needs a value/);
  });
});
