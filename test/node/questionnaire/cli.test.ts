// `kiosk questionnaire check|evaluate|build-xlsx` on the checked-in example and on a broken copy.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { commands } from '../../../main/cli/commands/questionnaire.js';
import { family, householdForm } from './fixtures.js';

const root = path.resolve(import.meta.dirname, '../../..');

async function run(cwd: string, ...args: string[]) {
  const cmd = commands.find((c) => args.slice(0, c.path.length).join(' ') === c.path.join(' '))!;
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += String(d)));
  stderr.on('data', (d) => (err += String(d)));
  try {
    const code = await cmd.run(args.slice(cmd.path.length), { stdout, stderr, cwd, stopSignal: new AbortController().signal });
    return { code, out, err };
  } catch (e) {
    return { code: -1, out, err: err + String((e as Error).message), error: e as { code?: string } };
  }
}

describe('kiosk questionnaire', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'questionnaire-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('checks the example form and exports its JSON definition', async () => {
    const r = await run(root, 'questionnaire', 'check', 'docs/examples/social-registry.xlsx', '--out', path.join(dir, 'def.json'));
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ ok: true, id: 'social_registry_household', questions: 64, pmt: true });
    const again = await run(dir, 'questionnaire', 'check', 'def.json');
    expect(JSON.parse(again.out)).toMatchObject({ ok: true, questions: 64 });
  });

  it('builds the .xlsx from CSV sheets and lists every issue of a broken form by cell', async () => {
    cpSync(path.join(root, 'docs/examples/social-registry'), path.join(dir, 'src'), { recursive: true });
    const survey = path.join(dir, 'src/survey.csv');
    writeFileSync(survey, readFileSync(survey, 'utf8').replace("${hh_size} div ${rooms}", '${hh_sizes} div ${rooms}'));
    expect((await run(dir, 'questionnaire', 'build-xlsx', 'src', '--out', 'broken.xlsx')).code).toBe(0);
    const r = await run(dir, 'questionnaire', 'check', 'broken.xlsx');
    expect(r.error?.code).toBe('QUESTIONNAIRE_INVALID');
    expect(r.err).toMatch(/survey!L\d+ \(calculation\): question "persons_per_room" calculation: unknown question \$\{hh_sizes\}/);
  });

  it('evaluates answers: issues and exit 3 when incomplete, values and PMT when complete', async () => {
    writeFileSync(path.join(dir, 'form.json'), JSON.stringify(householdForm()));
    writeFileSync(path.join(dir, 'ok.json'), JSON.stringify(family()));
    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ ...family(), hh_size: 0 }));
    const ok = await run(dir, 'questionnaire', 'evaluate', 'form.json', 'ok.json', '--today', '2026-12-04');
    expect(ok.code, ok.err).toBe(0);
    const v = JSON.parse(ok.out) as { complete: boolean; values: { n_children: number }; pmt: { score: number } };
    expect(v.complete).toBe(true);
    expect(v.values.n_children).toBe(3);
    expect(typeof v.pmt.score).toBe('number');
    const bad = await run(dir, 'questionnaire', 'evaluate', 'form.json', 'bad.json', '--today', '2026-12-04');
    expect(bad.code).toBe(3);
    expect((JSON.parse(bad.out) as { issues: { path: string }[] }).issues.map((i) => i.path)).toContain('hh_size');
  });
});
