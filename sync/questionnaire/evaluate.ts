// Evaluation of a questionnaire on a set of answers: relevance (skip logic), calculations, repeat groups (with their
// count), required answers, types and constraints. Pure: same definition + answers + date → same result.
import type { Answers, AnswerValue, GeoPoint, PhotoRef } from './answers.js';
import type { CompiledNode, CompiledQuestionnaire } from './compile.js';
import type { Label, QuestionDef } from './definition.js';
import { QuestionnaireEvaluationError } from './errors.js';
import { evaluate as evalExpr, NodeSet, toBool, toNumber, type Ast, type Scalar, type XValue } from './expression.js';

export type IssueCode = 'REQUIRED' | 'CONSTRAINT' | 'INVALID_ANSWER' | 'REPEAT_COUNT' | 'UNKNOWN_ANSWER';

export interface AnswerIssue {
  /** Where: "hh_size", "members[2].age" (1-based instances, as in ODK). */
  path: string;
  question: string;
  code: IssueCode;
  message: Label;
  /** REPEAT_COUNT: how many instances the repeat's count asks for. */
  expected?: number;
}

export interface EvaluationResult {
  /** True when there is no issue: every required answer is there and every answer is valid. */
  complete: boolean;
  issues: AnswerIssue[];
  /** Relevant answers and calculated values only (non-relevant answers are dropped, as ODK does). */
  values: Answers;
  /** Paths of the questions and notes to show, in form order. */
  visible: string[];
}

export interface EvaluateOptions {
  /** The date today() returns (YYYY-MM-DD); default: the current UTC date. */
  today?: string;
}

interface Frame {
  repeat: CompiledNode;
  index: number;
  answers: Answers;
}
type Scope = Frame[];

const MSG = {
  required: { ar: 'هذا السؤال مطلوب', en: 'This question is required' },
  constraint: { ar: 'الإجابة غير مقبولة', en: 'This answer is not accepted' },
  repeatCount: (n: number) => ({ ar: `يلزم ${n} من الإدخالات`, en: `${n} entries are needed` }),
  unknown: { ar: 'إجابة لسؤال غير موجود في الاستبيان', en: 'Answer to a question that is not in the questionnaire' },
  type: {
    text: { ar: 'أدخل نصاً', en: 'Enter text' },
    integer: { ar: 'أدخل عدداً صحيحاً', en: 'Enter a whole number' },
    decimal: { ar: 'أدخل رقماً', en: 'Enter a number' },
    date: { ar: 'أدخل تاريخاً صحيحاً (سنة-شهر-يوم)', en: 'Enter a valid date (YYYY-MM-DD)' },
    select_one: { ar: 'اختر أحد الخيارات المعروضة', en: 'Choose one of the options shown' },
    select_multiple: { ar: 'اختر من الخيارات المعروضة', en: 'Choose among the options shown' },
    geopoint: { ar: 'الموقع غير صالح', en: 'The location is not valid' },
    photo: { ar: 'الصورة غير صالحة', en: 'The photo is not valid' },
  } satisfies Record<QuestionDef['type'], Label>,
};

/** An answer issue (built here so that issue codes stay apart from error codes). */
const issue = (path: string, question: string, kind: IssueCode, message: Label): AnswerIssue => ({ path, question, code: kind, message });

const isEmpty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

function validDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** True when `v` is a well-typed answer for the question (emptiness is checked apart). */
function typeOk(q: QuestionDef, choices: Set<string> | undefined, v: unknown): boolean {
  switch (q.type) {
    case 'text':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'number' && Number.isSafeInteger(v);
    case 'decimal':
      return typeof v === 'number' && Number.isFinite(v);
    case 'date':
      return typeof v === 'string' && validDate(v);
    case 'select_one':
      return typeof v === 'string' && !!choices?.has(v);
    case 'select_multiple':
      return Array.isArray(v) && v.every((c) => typeof c === 'string' && choices?.has(c)) && new Set(v).size === v.length;
    case 'geopoint': {
      const g = v as GeoPoint;
      return typeof g === 'object' && g !== null && !Array.isArray(g) && typeof g.lat === 'number' && typeof g.lon === 'number' && Math.abs(g.lat) <= 90 && Math.abs(g.lon) <= 180;
    }
    case 'photo': {
      const p = v as PhotoRef;
      return typeof p === 'object' && p !== null && !Array.isArray(p) && typeof p.ref === 'string' && p.ref.length > 0 && typeof p.sha256 === 'string' && /^[0-9a-f]{64}$/.test(p.sha256);
    }
  }
}

/** An answer as the expression language sees it (XLSForm/ODK conventions). */
function asScalar(v: unknown): Scalar {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.join(' ');
  if (typeof v === 'object' && 'lat' in v) {
    const g = v as GeoPoint;
    return `${g.lat} ${g.lon} ${g.alt ?? 0} ${g.accuracy ?? 0}`;
  }
  if (typeof v === 'object' && 'ref' in v) return (v as PhotoRef).ref;
  return '';
}

class Evaluation {
  private readonly memoValue = new Map<string, Scalar>();
  private readonly memoRelevant = new Map<string, boolean>();
  constructor(
    private readonly q: CompiledQuestionnaire,
    private readonly root: Answers,
    private readonly today: string,
  ) {}

  private key(node: CompiledNode, scope: Scope): string {
    return `${node.name}@${scope.map((f) => f.index).join('.')}`;
  }

  private answersAt(scope: Scope): Answers {
    return scope.length ? scope[scope.length - 1]!.answers : this.root;
  }

  instances(repeat: CompiledNode, scope: Scope): Answers[] {
    const v = this.answersAt(scope)[repeat.name];
    return Array.isArray(v) ? (v as unknown[]).filter((x): x is Answers => typeof x === 'object' && x !== null && !Array.isArray(x)) : [];
  }

  run(node: CompiledNode, field: string, ast: Ast, scope: Scope, self?: Scalar): XValue {
    try {
      return evalExpr(ast, {
        ref: (name) => this.ref(name, scope),
        self: () => self ?? '',
        position: () => (scope.length ? scope[scope.length - 1]!.index + 1 : 0),
        today: () => this.today,
      });
    } catch (e) {
      throw new QuestionnaireEvaluationError(node.name, field, e instanceof Error ? e.message : String(e));
    }
  }

  relevant(node: CompiledNode, scope: Scope): boolean {
    const k = this.key(node, scope);
    const m = this.memoRelevant.get(k);
    if (m !== undefined) return m;
    // A repeat's own relevance is decided outside its instances.
    const outer = node.def.kind === 'repeat' ? scope.slice(0, node.repeats.length) : scope;
    const parentOk = node.parent ? this.relevant(node.parent, scope.slice(0, node.parent.repeats.length)) : true;
    const r = parentOk && (!node.relevant || toBool(this.run(node, 'relevant', node.relevant, outer)));
    this.memoRelevant.set(k, r);
    return r;
  }

  value(node: CompiledNode, scope: Scope): Scalar {
    const k = this.key(node, scope);
    const m = this.memoValue.get(k);
    if (m !== undefined) return m;
    let v: Scalar = '';
    if (this.relevant(node, scope)) {
      if (node.calculation) {
        const x = this.run(node, 'calculation', node.calculation, scope);
        v = x instanceof NodeSet ? (x.items[0] ?? '') : x;
        if (typeof v === 'number' && !Number.isFinite(v)) v = '';
      } else v = asScalar(this.answersAt(scope)[node.name]);
    }
    this.memoValue.set(k, v);
    return v;
  }

  /** ${name} seen from `scope`: one value, or a node-set when the target is in a repeat not enclosing the scope. */
  ref(name: string, scope: Scope): XValue {
    const target = this.q.nodes.get(name)!;
    const chain = target.def.kind === 'repeat' ? [...target.repeats, target] : target.repeats;
    let k = 0;
    while (k < chain.length && k < scope.length && scope[k]!.repeat === chain[k]) k++;
    if (k === chain.length) return this.value(target, scope.slice(0, k));
    const out: Scalar[] = [];
    const walk = (s: Scope, depth: number) => {
      const rep = chain[depth]!;
      if (!this.relevant(rep, s)) return;
      this.instances(rep, s).forEach((answers, index) => {
        const next = [...s, { repeat: rep, index, answers }];
        if (depth + 1 < chain.length) walk(next, depth + 1);
        else if (target.def.kind === 'repeat') out.push(1);
        else out.push(this.value(target, next));
      });
    };
    walk(scope.slice(0, k), k);
    return new NodeSet(out);
  }
}

/** Evaluates `answers` against a compiled questionnaire. */
export function evaluateQuestionnaire(q: CompiledQuestionnaire, answers: Answers, options: EvaluateOptions = {}): EvaluationResult {
  const ev = new Evaluation(q, answers, options.today ?? new Date().toISOString().slice(0, 10));
  const issues: AnswerIssue[] = [];
  const visible: string[] = [];

  const walk = (nodes: CompiledNode[], scope: Scope, prefix: string, source: Answers, out: Answers) => {
    const known = new Set<string>();
    const collect = (ns: CompiledNode[]) => ns.forEach((n) => (known.add(n.name), n.def.kind === 'group' && collect(n.children)));
    collect(nodes);
    for (const key of Object.keys(source)) if (!known.has(key)) issues.push(issue(prefix + key, key, 'UNKNOWN_ANSWER', MSG.unknown));

    const visit = (n: CompiledNode) => {
      const path = prefix + n.name;
      const d = n.def;
      if (d.kind === 'group') {
        if (ev.relevant(n, scope)) n.children.forEach(visit);
        return;
      }
      if (d.kind === 'repeat') {
        if (!ev.relevant(n, scope)) return;
        const inst = ev.instances(n, scope);
        if (n.count) {
          const want = toNumber(ev.run(n, 'count', n.count, scope));
          const n2 = Math.max(0, Math.trunc(want));
          if (Number.isFinite(want) && inst.length !== n2) issues.push({ ...issue(path, n.name, 'REPEAT_COUNT', MSG.repeatCount(n2)), expected: n2 });
        }
        out[n.name] = inst.map((a, index) => {
          const o: Answers = {};
          walk(n.children, [...scope, { repeat: n, index, answers: a }], `${path}[${index + 1}].`, a, o);
          return o;
        });
        return;
      }
      if (!ev.relevant(n, scope)) return;
      if (d.kind === 'note') {
        visible.push(path);
        return;
      }
      if (d.kind === 'calculate') {
        const v = ev.value(n, scope);
        if (v !== '') out[n.name] = typeof v === 'boolean' ? String(v) : v;
        return;
      }
      visible.push(path);
      const raw = source[n.name] as AnswerValue | undefined;
      if (isEmpty(raw)) {
        const req = n.required === true || (n.required !== undefined && n.required !== false && toBool(ev.run(n, 'required', n.required, scope)));
        if (req) issues.push(issue(path, n.name, 'REQUIRED', d.requiredMessage ?? MSG.required));
        return;
      }
      if (!typeOk(d, n.choices, raw)) {
        issues.push(issue(path, n.name, 'INVALID_ANSWER', MSG.type[d.type]));
        return;
      }
      if (n.constraint && !toBool(ev.run(n, 'constraint', n.constraint, scope, asScalar(raw)))) issues.push(issue(path, n.name, 'CONSTRAINT', d.constraintMessage ?? MSG.constraint));
      out[n.name] = raw!;
    };
    nodes.forEach(visit);
  };

  const values: Answers = {};
  walk(q.roots, [], '', answers, values);
  return { complete: issues.length === 0, issues, values, visible };
}
