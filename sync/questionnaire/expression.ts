// The expression language of XLSForm (an XPath 1.0 subset as ODK uses it): ${name} references, "." (the current
// answer), literals, arithmetic (+ - * div mod), comparisons, and/or, and a fixed set of functions.
// Reference: ODK XForms spec, "XPath functions" (https://getodk.github.io/xforms-spec/#xpath-functions).

export type Ast =
  | { k: 'num'; v: number }
  | { k: 'str'; v: string }
  | { k: 'ref'; name: string; pos: number }
  | { k: 'self' }
  | { k: 'neg'; e: Ast }
  | { k: 'bin'; op: BinOp; l: Ast; r: Ast }
  | { k: 'call'; fn: string; args: Ast[]; pos: number };

type BinOp = 'or' | 'and' | '=' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | 'div' | 'mod';

export class ExpressionSyntaxError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(`${message} (at character ${pos + 1})`);
  }
}

/** Function name → [min args, max args]; AGGREGATES take node-sets (answers inside a repeat). */
export const FUNCTIONS: Record<string, [number, number]> = {
  if: [3, 3],
  selected: [2, 2],
  'selected-at': [2, 2],
  'count-selected': [1, 1],
  count: [1, 1],
  sum: [1, 1],
  max: [1, 1],
  min: [1, 1],
  join: [2, 2],
  not: [1, 1],
  true: [0, 0],
  false: [0, 0],
  boolean: [1, 1],
  'string-length': [1, 1],
  concat: [1, 20],
  contains: [2, 2],
  'starts-with': [2, 2],
  regex: [2, 2],
  int: [1, 1],
  round: [1, 2],
  floor: [1, 1],
  ceiling: [1, 1],
  abs: [1, 1],
  pow: [2, 2],
  number: [1, 1],
  string: [1, 1],
  coalesce: [2, 2],
  today: [0, 0],
  position: [0, 1],
  once: [1, 1],
};
export const AGGREGATES = new Set(['count', 'sum', 'max', 'min', 'join']);

type Tok = { t: 'num'; v: number; pos: number } | { t: 'str'; v: string; pos: number } | { t: 'ref'; v: string; pos: number } | { t: 'name'; v: string; pos: number } | { t: 'op'; v: string; pos: number };

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const pos = i;
    if (c === '$' && src[i + 1] === '{') {
      const end = src.indexOf('}', i);
      if (end < 0) throw new ExpressionSyntaxError('unterminated ${…} reference', pos);
      const name = src.slice(i + 2, end).trim();
      if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) throw new ExpressionSyntaxError(`invalid reference \${${name}}`, pos);
      out.push({ t: 'ref', v: name, pos });
      i = end + 1;
    } else if (c === "'" || c === '"') {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw new ExpressionSyntaxError('unterminated string', pos);
      out.push({ t: 'str', v: src.slice(i + 1, end), pos });
      i = end + 1;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?|^[0-9]+\.?/.exec(src.slice(i))!;
      out.push({ t: 'num', v: Number(m[0]), pos });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_:-]*/.exec(src.slice(i))!;
      // A trailing "-" belongs to a following minus ("a -b" is rare; "count-selected" is common).
      let w = m[0];
      while (w.endsWith('-')) w = w.slice(0, -1);
      out.push({ t: 'name', v: w, pos });
      i += w.length;
    } else {
      const two = src.slice(i, i + 2);
      if (['!=', '<=', '>=', '..'].includes(two)) {
        out.push({ t: 'op', v: two, pos });
        i += 2;
      } else if ('()+-*=<>,.'.includes(c)) {
        out.push({ t: 'op', v: c, pos });
        i++;
      } else throw new ExpressionSyntaxError(`unexpected character "${c}"`, pos);
    }
  }
  return out;
}

/** Parses an expression; throws ExpressionSyntaxError with the position. */
export function parseExpression(src: string): Ast {
  const toks = lex(src);
  let p = 0;
  const peek = () => toks[p];
  const isOp = (v: string) => {
    const t = toks[p];
    return !!t && ((t.t === 'op' && t.v === v) || (t.t === 'name' && t.v === v && ['and', 'or', 'div', 'mod'].includes(v)));
  };
  const expect = (v: string) => {
    if (!isOp(v)) throw new ExpressionSyntaxError(`expected "${v}"`, peek()?.pos ?? src.length);
    p++;
  };
  const binary = (ops: BinOp[], next: () => Ast) => (): Ast => {
    let l = next();
    for (;;) {
      const op = ops.find((o) => isOp(o));
      if (!op) return l;
      p++;
      l = { k: 'bin', op, l, r: next() };
    }
  };
  const primary = (): Ast => {
    const t = toks[p];
    if (!t) throw new ExpressionSyntaxError('unexpected end of expression', src.length);
    if (t.t === 'num') return p++, { k: 'num', v: t.v };
    if (t.t === 'str') return p++, { k: 'str', v: t.v };
    if (t.t === 'ref') return p++, { k: 'ref', name: t.v, pos: t.pos };
    if (t.t === 'op' && t.v === '-') {
      p++;
      return { k: 'neg', e: primary() };
    }
    if (t.t === 'op' && t.v === '(') {
      p++;
      const e = or();
      expect(')');
      return e;
    }
    if (t.t === 'op' && (t.v === '.' || t.v === '..')) return p++, t.v === '.' ? { k: 'self' } : { k: 'str', v: '' };
    if (t.t === 'name') {
      p++;
      if (!isOp('(')) throw new ExpressionSyntaxError(`"${t.v}" is not a function call or a \${reference}`, t.pos);
      p++;
      const args: Ast[] = [];
      if (!isOp(')')) {
        args.push(or());
        while (isOp(',')) {
          p++;
          args.push(or());
        }
      }
      expect(')');
      const arity = FUNCTIONS[t.v];
      if (!arity) throw new ExpressionSyntaxError(`unknown function ${t.v}()`, t.pos);
      if (args.length < arity[0] || args.length > arity[1]) throw new ExpressionSyntaxError(`${t.v}() takes ${arity[0] === arity[1] ? arity[0] : `${arity[0]}–${arity[1]}`} argument(s), got ${args.length}`, t.pos);
      return { k: 'call', fn: t.v, args, pos: t.pos };
    }
    throw new ExpressionSyntaxError(`unexpected "${t.v}"`, t.pos);
  };
  const mul = binary(['*', 'div', 'mod'], primary);
  const add = binary(['+', '-'], mul);
  const rel = binary(['<=', '>=', '<', '>'], add);
  const eq = binary(['=', '!='], rel);
  const and = binary(['and'], eq);
  const or = binary(['or'], and);
  const ast = or();
  if (p < toks.length) throw new ExpressionSyntaxError(`unexpected "${String(toks[p]!.v)}"`, toks[p]!.pos);
  return ast;
}

/** Every ${reference} in an expression, with whether it appears directly as the argument of an aggregate. */
export function references(ast: Ast, inAggregate = false, out: { name: string; aggregated: boolean }[] = []): { name: string; aggregated: boolean }[] {
  switch (ast.k) {
    case 'ref':
      out.push({ name: ast.name, aggregated: inAggregate });
      break;
    case 'neg':
      references(ast.e, false, out);
      break;
    case 'bin':
      references(ast.l, false, out);
      references(ast.r, false, out);
      break;
    case 'call':
      ast.args.forEach((a, i) => references(a, AGGREGATES.has(ast.fn) && (ast.fn !== 'join' || i === 1), out));
      break;
    default:
  }
  return out;
}

export function usesSelf(ast: Ast): boolean {
  switch (ast.k) {
    case 'self':
      return true;
    case 'neg':
      return usesSelf(ast.e);
    case 'bin':
      return usesSelf(ast.l) || usesSelf(ast.r);
    case 'call':
      return ast.args.some(usesSelf);
    default:
      return false;
  }
}

// --- evaluation ----------------------------------------------------------------------------------------------------

/** A scalar in expression context: empty answers are "". Node-sets come from references into repeats. */
export type Scalar = string | number | boolean;
export class NodeSet {
  constructor(readonly items: Scalar[]) {}
}
export type XValue = Scalar | NodeSet;

export interface ExprEnv {
  ref(name: string): XValue;
  self(): Scalar;
  position(): number;
  today(): string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function toNumber(v: XValue): number {
  if (v instanceof NodeSet) return v.items.length ? toNumber(v.items[0]!) : NaN;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const s = v.trim();
  if (s === '') return NaN;
  const d = DATE.exec(s);
  // Dates in arithmetic are days since 1970-01-01 (ODK), so that (today() - ${dob}) div 365.25 is an age.
  if (d) return Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3])) / 86_400_000;
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s) ? Number(s) : NaN;
}

export function toStr(v: XValue): string {
  if (v instanceof NodeSet) return v.items.length ? toStr(v.items[0]!) : '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return v;
}

export function toBool(v: XValue): boolean {
  if (v instanceof NodeSet) return v.items.length > 0;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  return v.length > 0;
}

function compare(op: BinOp, a: XValue, b: XValue): boolean {
  if (a instanceof NodeSet) return a.items.some((x) => compare(op, x, b));
  if (b instanceof NodeSet) return b.items.some((x) => compare(op, a, x));
  if (op === '=' || op === '!=') {
    let eq: boolean;
    if (typeof a === 'boolean' || typeof b === 'boolean') eq = toBool(a) === toBool(b);
    else if (typeof a === 'number' || typeof b === 'number') eq = toNumber(a) === toNumber(b);
    else eq = a === b;
    return op === '=' ? eq : !eq;
  }
  // Two dates compare as dates (ISO strings sort like dates); everything else numerically.
  const x = typeof a === 'string' && DATE.test(a) && typeof b === 'string' && DATE.test(b) ? a.localeCompare(b) : toNumber(a) - toNumber(b);
  if (Number.isNaN(x)) return false;
  return op === '<' ? x < 0 : op === '<=' ? x <= 0 : op === '>' ? x > 0 : x >= 0;
}

const items = (v: XValue): Scalar[] => (v instanceof NodeSet ? v.items : [v]);
const nonEmpty = (v: Scalar) => !(typeof v === 'string' && v === '');

export function evaluate(ast: Ast, env: ExprEnv): XValue {
  switch (ast.k) {
    case 'num':
    case 'str':
      return ast.v;
    case 'ref':
      return env.ref(ast.name);
    case 'self':
      return env.self();
    case 'neg':
      return -toNumber(evaluate(ast.e, env));
    case 'bin': {
      if (ast.op === 'or') return toBool(evaluate(ast.l, env)) || toBool(evaluate(ast.r, env));
      if (ast.op === 'and') return toBool(evaluate(ast.l, env)) && toBool(evaluate(ast.r, env));
      const l = evaluate(ast.l, env);
      const r = evaluate(ast.r, env);
      if (['=', '!=', '<', '<=', '>', '>='].includes(ast.op)) return compare(ast.op, l, r);
      const a = toNumber(l);
      const b = toNumber(r);
      switch (ast.op) {
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case 'div':
          return a / b;
        default:
          return a % b;
      }
    }
    case 'call':
      return call(ast.fn, ast.args, env);
  }
}

function call(fn: string, args: Ast[], env: ExprEnv): XValue {
  const ev = (i: number) => evaluate(args[i]!, env);
  const num = (i: number) => toNumber(ev(i));
  const str = (i: number) => toStr(ev(i));
  switch (fn) {
    case 'if':
      return toBool(ev(0)) ? ev(1) : ev(2);
    case 'selected':
      return str(0).split(' ').includes(str(1).trim());
    case 'selected-at':
      return str(0).split(' ').filter(Boolean)[num(1)] ?? '';
    case 'count-selected':
      return str(0).split(' ').filter(Boolean).length;
    case 'count':
      return items(ev(0)).filter(nonEmpty).length;
    case 'sum':
      return items(ev(0)).reduce<number>((s, x) => s + (nonEmpty(x) ? toNumber(x) : 0), 0);
    case 'max':
    case 'min': {
      const xs = items(ev(0)).filter(nonEmpty).map(toNumber);
      return xs.length === 0 ? NaN : fn === 'max' ? Math.max(...xs) : Math.min(...xs);
    }
    case 'join':
      return items(ev(1)).filter(nonEmpty).map(toStr).join(str(0));
    case 'not':
      return !toBool(ev(0));
    case 'true':
      return true;
    case 'false':
      return false;
    case 'boolean':
      return toBool(ev(0));
    case 'string-length':
      return [...str(0)].length;
    case 'concat':
      return args.map((_, i) => str(i)).join('');
    case 'contains':
      return str(0).includes(str(1));
    case 'starts-with':
      return str(0).startsWith(str(1));
    case 'regex':
      try {
        return new RegExp(str(1), 'u').test(str(0));
      } catch {
        return false;
      }
    case 'int':
      return Math.trunc(num(0));
    case 'round': {
      const f = 10 ** (args.length > 1 ? num(1) : 0);
      return Math.round(num(0) * f) / f;
    }
    case 'floor':
      return Math.floor(num(0));
    case 'ceiling':
      return Math.ceil(num(0));
    case 'abs':
      return Math.abs(num(0));
    case 'pow':
      return num(0) ** num(1);
    case 'number':
      return num(0);
    case 'string':
      return str(0);
    case 'coalesce': {
      const a = str(0);
      return a !== '' ? a : str(1);
    }
    case 'today':
      return env.today();
    case 'position':
      return env.position();
    case 'once':
      return ev(0);
    default:
      throw new Error(`unknown function ${fn}`);
  }
}
