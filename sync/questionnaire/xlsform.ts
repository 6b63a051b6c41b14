// XLSForm import (https://xlsform.org): the survey, choices and settings sheets (and an optional "pmt" sheet of
// weights, this project's extension) → a questionnaire definition, for the subset the engine runs. Every issue names
// the sheet, row and column (and the question), including the ones found when the definition is compiled.
import type { ItemDef, Label, PmtConfig, PmtTerm, QuestionnaireDef } from './definition.js';
import { QuestionnaireDefinitionError, type DefinitionIssue } from './errors.js';
import { compileQuestionnaire, type CompiledQuestionnaire } from './compile.js';
import { columnLetter, readWorkbook, type Sheet, type SheetRow } from './xlsx/workbook.js';

type Lang = 'ar' | 'en';
interface Column {
  index: number;
  header: string;
  base: string;
  lang: Lang | null;
}
interface Table {
  sheet: string;
  columns: Column[];
  rows: SheetRow[];
}

const LANG_NAMES: Record<string, Lang> = { en: 'en', english: 'en', ar: 'ar', arabic: 'ar', 'العربية': 'ar' };
/** Metadata types ODK fills by itself: accepted and ignored. */
const METADATA = new Set(['start', 'end', 'today', 'deviceid', 'subscriberid', 'simserial', 'phonenumber', 'username', 'email', 'audit', 'start-geopoint']);

function parseHeader(header: string, index: number): Column {
  const [rawBase, rawLang] = header.split('::');
  const base = rawBase!.trim().toLowerCase().replace(/\s+/g, '_');
  let lang: Lang | null = null;
  if (rawLang !== undefined) {
    const code = /\(([A-Za-z-]+)\)\s*$/.exec(rawLang)?.[1]?.toLowerCase();
    lang = LANG_NAMES[code ?? rawLang.trim().toLowerCase()] ?? null;
  }
  return { index, header: header.trim(), base, lang };
}

function table(sheet: Sheet | undefined, name: string): Table | null {
  if (!sheet || sheet.rows.length === 0) return null;
  const [head, ...rows] = sheet.rows;
  return { sheet: name, columns: head!.cells.map((h, i) => parseHeader(h, i)).filter((c) => c.header !== ''), rows };
}

export interface XlsFormSheets {
  survey: Sheet;
  choices?: Sheet;
  settings?: Sheet;
  pmt?: Sheet;
}

export interface ImportedForm {
  definition: QuestionnaireDef;
  compiled: CompiledQuestionnaire;
}

/** Reads an .xlsx XLSForm and returns its definition, compiled (throws QuestionnaireDefinitionError with positions). */
export function importXlsForm(xlsx: Buffer): ImportedForm {
  const sheets = readWorkbook(xlsx);
  const by = (n: string) => sheets.find((s) => s.name.trim().toLowerCase() === n);
  const survey = by('survey');
  if (!survey) throw new QuestionnaireDefinitionError([{ question: '', field: 'survey', message: 'the workbook has no "survey" sheet', sheet: 'survey', row: 1, column: 'A' }]);
  return importXlsFormSheets({ survey, ...opt('choices', by('choices')), ...opt('settings', by('settings')), ...opt('pmt', by('pmt')) });
}

const opt = <K extends string>(k: K, v: Sheet | undefined) => (v ? ({ [k]: v } as Record<K, Sheet>) : {});

export function importXlsFormSheets(input: XlsFormSheets): ImportedForm {
  const issues: DefinitionIssue[] = [];
  const where = new Map<string, { sheet: string; row: number; column: string; header: string }>();
  const at = (t: Table, row: SheetRow, col: Column | undefined) => ({ sheet: t.sheet, row: row.row, column: col ? columnLetter(col.index) : 'A', header: col?.header ?? '' });
  const cell = (t: Table, row: SheetRow, base: string, lang: Lang | null = null) => {
    const col = t.columns.find((c) => c.base === base && c.lang === lang);
    return { col, value: col ? (row.cells[col.index] ?? '').trim() : '' };
  };

  // --- settings ---------------------------------------------------------------------------------------------------
  const settings = table(input.settings, 'settings');
  const setting = (base: string) => (settings && settings.rows[0] ? cell(settings, settings.rows[0], base).value : '');
  const defaultLang = (LANG_NAMES[setting('default_language').toLowerCase().replace(/^.*\(([a-z]+)\)$/, '$1')] ?? 'en') as Lang;

  /** A label from `base::lang` columns (plain `base` = the default language); both languages required if any. */
  const label = (t: Table, row: SheetRow, base: string, question: string, required: boolean): Label | undefined => {
    const get = (lang: Lang) => cell(t, row, base, lang).value || (lang === defaultLang ? cell(t, row, base).value : '');
    const ar = get('ar');
    const en = get('en');
    if (!ar && !en && !required) return undefined;
    for (const [lang, v] of [['ar', ar], ['en', en]] as const) {
      if (!v) {
        const col = t.columns.find((c) => c.base === base && c.lang === lang) ?? t.columns.find((c) => c.base === base);
        issues.push({ question, field: `${base}.${lang}`, message: `${base} in ${lang === 'ar' ? 'Arabic' : 'English'} is empty (add a "${base}::${lang === 'ar' ? 'Arabic (ar)' : 'English (en)'}" column)`, ...at(t, row, col) });
      }
    }
    return { ar: ar || en || '?', en: en || ar || '?' };
  };

  // --- choices ----------------------------------------------------------------------------------------------------
  const choiceLists: QuestionnaireDef['choiceLists'] = {};
  const choices = table(input.choices, 'choices');
  if (choices) {
    for (const row of choices.rows) {
      const list = cell(choices, row, 'list_name');
      const name = cell(choices, row, 'name');
      if (!list.col) {
        issues.push({ question: '', field: 'list_name', message: 'the choices sheet needs a "list_name" column', ...at(choices, row, undefined) });
        break;
      }
      if (!list.value) {
        issues.push({ question: '', field: 'list_name', message: 'list_name is empty', ...at(choices, row, list.col) });
        continue;
      }
      if (!name.value) {
        issues.push({ question: list.value, field: 'name', message: `choice in list "${list.value}" has no name`, ...at(choices, row, name.col) });
        continue;
      }
      const l = label(choices, row, 'label', list.value, true)!;
      if (!where.has(`${list.value}|choices`)) where.set(`${list.value}|choices`, at(choices, row, name.col));
      (choiceLists[list.value] ??= []).push({ name: name.value, label: l });
    }
  }

  // --- survey -----------------------------------------------------------------------------------------------------
  const survey = table(input.survey, 'survey')!;
  if (!survey) throw new QuestionnaireDefinitionError([{ question: '', field: 'survey', message: 'the survey sheet is empty', sheet: 'survey', row: 1, column: 'A' }]);
  for (const need of ['type', 'name']) if (!survey.columns.some((c) => c.base === need)) issues.push({ question: '', field: need, message: `the survey sheet needs a "${need}" column`, sheet: 'survey', row: survey.rows[0] ? survey.rows[0].row - 1 : 1, column: 'A' });
  const FIELD_COLUMNS: Record<string, string> = { relevant: 'relevant', constraint: 'constraint', calculation: 'calculation', required: 'required', count: 'repeat_count', choices: 'type', type: 'type', name: 'name' };
  const stack: { items: ItemDef[]; kind: 'root' | 'group' | 'repeat'; name: string; row: SheetRow }[] = [{ items: [], kind: 'root', name: '', row: survey.rows[0] ?? { row: 1, cells: [] } }];
  for (const row of survey.rows) {
    const type = cell(survey, row, 'type');
    const name = cell(survey, row, 'name');
    const t = type.value.replace(/\s+/g, ' ').toLowerCase();
    if (!t) {
      if (name.value) issues.push({ question: name.value, field: 'type', message: 'type is empty', ...at(survey, row, type.col) });
      continue;
    }
    const q = name.value;
    const remember = () => {
      for (const [field, base] of Object.entries(FIELD_COLUMNS)) {
        const col = survey.columns.find((c) => c.base === base);
        if (col) where.set(`${q}|${field}`, at(survey, row, col));
      }
      for (const c of survey.columns) if (c.lang) where.set(`${q}|${c.base}.${c.lang}`, at(survey, row, c));
      where.set(`${q}|`, at(survey, row, name.col));
    };
    const top = stack[stack.length - 1]!;
    if (t === 'end group' || t === 'end_group' || t === 'end repeat' || t === 'end_repeat') {
      const kind = t.includes('group') ? 'group' : 'repeat';
      if (top.kind !== kind) {
        issues.push({ question: q || top.name, field: 'type', message: top.kind === 'root' ? `"${type.value}" without a matching begin ${kind}` : `"${type.value}" closes ${top.kind} "${top.name}" (begun at row ${top.row.row})`, ...at(survey, row, type.col) });
        continue;
      }
      stack.pop();
      const parent = stack[stack.length - 1]!;
      const container = parent.items[parent.items.length - 1] as Extract<ItemDef, { kind: 'group' | 'repeat' }>;
      container.items = top.items;
      continue;
    }
    if (METADATA.has(t)) continue;
    if (!q) {
      issues.push({ question: '', field: 'name', message: `a "${type.value}" row needs a name`, ...at(survey, row, name.col) });
      continue;
    }
    remember();
    const relevant = cell(survey, row, 'relevant').value || undefined;
    const cf = cell(survey, row, 'choice_filter');
    if (cf.value) issues.push({ question: q, field: 'choice_filter', message: 'choice_filter is not supported by this engine', ...at(survey, row, cf.col) });
    if (t === 'begin group' || t === 'begin_group' || t === 'begin repeat' || t === 'begin_repeat') {
      const isRepeat = t.includes('repeat');
      const l = label(survey, row, 'label', q, isRepeat);
      const count = cell(survey, row, 'repeat_count').value || undefined;
      const item: ItemDef = isRepeat ? { kind: 'repeat', name: q, label: l!, relevant, count, items: [] } : { kind: 'group', name: q, label: l, relevant, items: [] };
      top.items.push(item);
      stack.push({ items: [], kind: isRepeat ? 'repeat' : 'group', name: q, row });
      continue;
    }
    if (t === 'calculate') {
      top.items.push({ kind: 'calculate', name: q, calculation: cell(survey, row, 'calculation').value, relevant });
      continue;
    }
    if (t === 'note') {
      top.items.push({ kind: 'note', name: q, label: label(survey, row, 'label', q, true)!, relevant });
      continue;
    }
    const m = /^(select_one|select_multiple) (\S+)$/.exec(t) ?? /^(select_one|select_multiple)$/.exec(t);
    const simple: Record<string, Extract<ItemDef, { kind: 'question' }>['type']> = { text: 'text', integer: 'integer', int: 'integer', decimal: 'decimal', date: 'date', geopoint: 'geopoint', image: 'photo', photo: 'photo' };
    const qtype = m ? (m[1] as 'select_one' | 'select_multiple') : simple[t];
    if (!qtype) {
      issues.push({ question: q, field: 'type', message: `type "${type.value}" is not supported (text, integer, decimal, date, select_one, select_multiple, geopoint, image, note, calculate, begin/end group, begin/end repeat)`, ...at(survey, row, type.col) });
      continue;
    }
    // The list name keeps its case as typed.
    const listName = m?.[2] ? type.value.trim().split(/\s+/)[1] : undefined;
    const req = cell(survey, row, 'required').value;
    const required = /^(yes|true|true\(\)|1)$/i.test(req) ? true : /^(no|false|false\(\)|0|)$/i.test(req) ? undefined : req;
    const item: ItemDef = {
      kind: 'question',
      name: q,
      type: qtype,
      label: label(survey, row, 'label', q, true)!,
      ...(label(survey, row, 'hint', q, false) ? { hint: label(survey, row, 'hint', q, false)! } : {}),
      ...(required !== undefined ? { required } : {}),
      ...(label(survey, row, 'required_message', q, false) ? { requiredMessage: label(survey, row, 'required_message', q, false)! } : {}),
      ...(relevant ? { relevant } : {}),
      ...(cell(survey, row, 'constraint').value ? { constraint: cell(survey, row, 'constraint').value } : {}),
      ...(label(survey, row, 'constraint_message', q, false) ? { constraintMessage: label(survey, row, 'constraint_message', q, false)! } : {}),
      ...(listName ? { choices: listName } : {}),
      ...(/^(yes|true)$/i.test(cell(survey, row, 'read_only').value) ? { readonly: true } : {}),
    };
    top.items.push(item);
  }
  for (const open of stack.slice(1)) issues.push({ question: open.name, field: 'type', message: `begin ${open.kind} "${open.name}" is never ended`, ...at(survey, open.row, survey.columns.find((c) => c.base === 'type')) });

  // --- pmt (optional) ---------------------------------------------------------------------------------------------
  let pmt: PmtConfig | undefined;
  const pmtTable = table(input.pmt, 'pmt');
  if (pmtTable) {
    const terms: PmtTerm[] = [];
    pmtTable.rows.forEach((row) => {
      const n = cell(pmtTable, row, 'name');
      const w = cell(pmtTable, row, 'weight');
      const choice = cell(pmtTable, row, 'choice').value;
      const weight = Number(w.value);
      if (!n.value) return issues.push({ question: '', field: 'pmt', message: 'PMT row has no name', ...at(pmtTable, row, n.col) });
      if (w.value === '' || !Number.isFinite(weight)) return issues.push({ question: n.value, field: 'pmt.weight', message: `weight "${w.value}" is not a number`, ...at(pmtTable, row, w.col) });
      const num = (base: string) => {
        const c = cell(pmtTable, row, base);
        if (c.value === '') return undefined;
        const v = Number(c.value);
        if (!Number.isFinite(v)) issues.push({ question: n.value, field: `pmt.${base}`, message: `${base} "${c.value}" is not a number`, ...at(pmtTable, row, c.col) });
        return v;
      };
      const missing = num('missing');
      if (choice) {
        let term = terms.find((x): x is Extract<PmtTerm, { kind: 'choice' }> => x.kind === 'choice' && x.name === n.value);
        if (!term) {
          term = { kind: 'choice', name: n.value, weights: {} };
          terms.push(term);
          where.set(`${n.value}|pmt.terms[${terms.length - 1}]`, at(pmtTable, row, n.col));
        }
        term.weights[choice] = weight;
        if (missing !== undefined) term.missing = missing;
      } else {
        const transform = cell(pmtTable, row, 'transform').value || undefined;
        if (transform && transform !== 'identity' && transform !== 'log1p') issues.push({ question: n.value, field: 'pmt.transform', message: `transform "${transform}" must be identity or log1p`, ...at(pmtTable, row, cell(pmtTable, row, 'transform').col) });
        const cap = num('cap');
        terms.push({ kind: 'numeric', name: n.value, weight, ...(transform === 'log1p' || transform === 'identity' ? { transform } : {}), ...(cap !== undefined ? { cap } : {}), ...(missing !== undefined ? { missing } : {}) });
        where.set(`${n.value}|pmt.terms[${terms.length - 1}]`, at(pmtTable, row, n.col));
      }
      return undefined;
    });
    const intercept = setting('pmt_intercept');
    const threshold = setting('pmt_threshold');
    pmt = { intercept: intercept === '' ? 0 : Number(intercept), terms, ...(threshold !== '' ? { threshold: Number(threshold) } : {}) };
    if (!Number.isFinite(pmt.intercept) || (pmt.threshold !== undefined && !Number.isFinite(pmt.threshold))) issues.push({ question: '', field: 'pmt_intercept', message: 'pmt_intercept and pmt_threshold must be numbers', sheet: 'settings', row: 2, column: 'A' });
  }

  if (issues.length) throw new QuestionnaireDefinitionError(issues);
  const title = setting('form_title');
  const definition: QuestionnaireDef = {
    id: setting('form_id') || 'form',
    version: setting('version') || '1',
    title: { ar: (settings && settings.rows[0] && cell(settings, settings.rows[0], 'form_title', 'ar').value) || title || 'form', en: (settings && settings.rows[0] && cell(settings, settings.rows[0], 'form_title', 'en').value) || title || 'form' },
    items: stack[0]!.items,
    choiceLists,
    ...(pmt ? { pmt } : {}),
  };
  try {
    return { definition, compiled: compileQuestionnaire(JSON.parse(JSON.stringify(definition)) as unknown) };
  } catch (e) {
    if (!(e instanceof QuestionnaireDefinitionError)) throw e;
    // Put each compile issue back on its spreadsheet cell.
    throw new QuestionnaireDefinitionError(
      e.issues.map((i) => {
        const base = i.field.split('.')[0]!;
        const pos = where.get(`${i.question}|${i.field}`) ?? where.get(`${i.question}|${base}`) ?? where.get(`${i.question}|`);
        return pos ? { ...i, ...pos } : i;
      }),
    );
  }
}
