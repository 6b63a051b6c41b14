// `kiosk questionnaire …`: load a questionnaire (JSON definition or XLSForm .xlsx) and report its issues by question,
// sheet, row and column; evaluate answers against it (issues, calculated values, PMT score); build an .xlsx from the
// CSV sheets a form is kept as in git (docs/QUESTIONNAIRE.md).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { KioskError } from '../../contract/errors.js';
import { writeFileAtomic } from '../../platform/atomic-file.js';
import { parseCsv } from '../../platform/csv.js';
import { option, parseArgs } from '../args.js';
import { CliUsageError, type CliCommand, type CliIo } from '../command.js';
import { answersSchema, compileQuestionnaire, describeIssue, evaluateQuestionnaire, importXlsForm, pmtScore, QuestionnaireDefinitionError, writeWorkbook, type CompiledQuestionnaire } from '../../../sync/questionnaire/index.js';

function readInput(io: CliIo, rel: string): Buffer {
  const p = path.resolve(io.cwd, rel);
  if (!existsSync(p)) throw new KioskError('NOT_FOUND', `cannot read ${rel}`, { details: { file: rel } });
  return readFileSync(p);
}

function parseJson(io: CliIo, rel: string): unknown {
  try {
    return JSON.parse(readInput(io, rel).toString('utf8')) as unknown;
  } catch (e) {
    if (e instanceof KioskError) throw e;
    throw new KioskError('VALIDATION_FAILED', `${rel} is not JSON`, { details: { file: rel } });
  }
}

/** A questionnaire from an .xlsx XLSForm or a JSON definition. */
export function loadQuestionnaire(io: CliIo, rel: string): CompiledQuestionnaire {
  return rel.toLowerCase().endsWith('.xlsx') ? importXlsForm(readInput(io, rel)).compiled : compileQuestionnaire(parseJson(io, rel));
}

/** Prints each issue on its own line (the error itself carries the first five). */
async function reportingIssues<T>(io: CliIo, fn: () => T): Promise<T> {
  try {
    return fn();
  } catch (e) {
    if (e instanceof QuestionnaireDefinitionError) for (const i of e.issues) io.stderr.write(`  ${describeIssue(i)}\n`);
    throw e;
  }
}

const check: CliCommand = {
  path: ['questionnaire', 'check'],
  summary: 'Load a questionnaire (XLSForm .xlsx or JSON definition); list its issues by question, sheet, row and column',
  usage: 'kiosk questionnaire check <form.xlsx|definition.json> [--out definition.json]',
  async run(args, io) {
    const p = parseArgs(args, { string: ['out'] });
    if (p.positionals.length !== 1) throw new CliUsageError('questionnaire check needs one form');
    const q = await reportingIssues(io, () => loadQuestionnaire(io, p.positionals[0]!));
    const out = option(p, 'out');
    if (out) writeFileAtomic(path.resolve(io.cwd, out), JSON.stringify(q.def, null, 2) + '\n', 0o644);
    const questions = [...q.nodes.values()].filter((n) => n.def.kind === 'question').length;
    io.stdout.write(JSON.stringify({ ok: true, id: q.def.id, version: q.def.version, questions, items: q.nodes.size, choiceLists: Object.keys(q.def.choiceLists).length, pmt: !!q.def.pmt }) + '\n');
    return 0;
  },
};

const evaluate: CliCommand = {
  path: ['questionnaire', 'evaluate'],
  summary: 'Evaluate answers against a questionnaire: issues, visible questions, calculated values, PMT score',
  usage: 'kiosk questionnaire evaluate <form.xlsx|definition.json> <answers.json> [--today YYYY-MM-DD]',
  async run(args, io) {
    const p = parseArgs(args, { string: ['today'] });
    if (p.positionals.length !== 2) throw new CliUsageError('questionnaire evaluate needs a form and an answers file');
    const q = await reportingIssues(io, () => loadQuestionnaire(io, p.positionals[0]!));
    const answers = answersSchema.safeParse(parseJson(io, p.positionals[1]!));
    if (!answers.success) throw new KioskError('VALIDATION_FAILED', `${p.positionals[1]} is not an answers object`, { details: { issues: answers.error.issues.slice(0, 5).map((i) => i.path.join('.')) } });
    const today = option(p, 'today');
    const r = evaluateQuestionnaire(q, answers.data, today ? { today } : {});
    io.stdout.write(JSON.stringify({ complete: r.complete, issues: r.issues, values: r.values, ...(q.def.pmt && r.complete ? { pmt: pmtScore(q.def.pmt, r.values) } : {}) }, null, 2) + '\n');
    return r.complete ? 0 : 3;
  },
};

const buildXlsx: CliCommand = {
  path: ['questionnaire', 'build-xlsx'],
  summary: 'Build an XLSForm .xlsx from a folder of sheet CSVs (survey.csv, choices.csv, settings.csv, pmt.csv)',
  usage: 'kiosk questionnaire build-xlsx <folder> --out form.xlsx',
  async run(args, io) {
    const p = parseArgs(args, { string: ['out'] });
    const out = option(p, 'out');
    if (p.positionals.length !== 1 || !out) throw new CliUsageError('questionnaire build-xlsx needs a folder and --out');
    const dir = path.resolve(io.cwd, p.positionals[0]!);
    if (!existsSync(dir)) throw new KioskError('NOT_FOUND', `no folder ${p.positionals[0]}`);
    const order = ['survey', 'choices', 'settings', 'pmt'];
    const sheets = readdirSync(dir)
      .filter((f) => f.endsWith('.csv'))
      .map((f) => f.slice(0, -4))
      .sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || a.localeCompare(b))
      .map((name) => ({ name, rows: parseCsv(readFileSync(path.join(dir, `${name}.csv`), 'utf8')) }));
    if (!sheets.some((s) => s.name === 'survey')) throw new KioskError('VALIDATION_FAILED', `${p.positionals[0]} has no survey.csv`);
    writeFileAtomic(path.resolve(io.cwd, out), writeWorkbook(sheets), 0o644);
    io.stdout.write(JSON.stringify({ written: out, sheets: sheets.map((s) => s.name) }) + '\n');
    return 0;
  },
};

export const commands: CliCommand[] = [check, evaluate, buildXlsx];
