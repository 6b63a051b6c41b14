// Loads a questionnaire definition: zod shape, then names, choice lists, expressions (syntax, references, repeat
// scoping), dependency cycles and the PMT terms. Every issue names the question and the attribute.
import { QuestionnaireDefinitionError, type DefinitionIssue } from './errors.js';
import { parseExpression, references, usesSelf, type Ast, ExpressionSyntaxError } from './expression.js';
import { questionnaireSchema, type ItemDef, type QuestionnaireDef } from './definition.js';

export interface CompiledNode {
  def: ItemDef;
  name: string;
  /** Enclosing repeats, outermost first (a repeat node does not list itself). */
  repeats: CompiledNode[];
  parent: CompiledNode | null;
  children: CompiledNode[];
  relevant?: Ast;
  required?: Ast | boolean;
  constraint?: Ast;
  calculation?: Ast;
  count?: Ast;
  choices?: Set<string>;
}

export interface CompiledQuestionnaire {
  def: QuestionnaireDef;
  roots: CompiledNode[];
  nodes: Map<string, CompiledNode>;
}

/** Finds the name of the item a zod issue path points into (deepest item on the path). */
function itemNameAt(input: unknown, path: PropertyKey[]): { question: string; field: string } {
  let cur: unknown = input;
  let question = '';
  let field = '';
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') break;
    cur = (cur as Record<PropertyKey, unknown>)[key];
    if (cur && typeof cur === 'object' && !Array.isArray(cur) && typeof (cur as { name?: unknown }).name === 'string' && 'kind' in cur) {
      question = (cur as unknown as { name: string }).name;
      field = '';
    } else if (typeof key === 'string' && key !== 'items') field = field ? `${field}.${key}` : key;
  }
  if (!question && path[0] === 'choiceLists') question = String(path[1] ?? '');
  return { question, field: field || path.map(String).join('.') };
}

export function compileQuestionnaire(input: unknown): CompiledQuestionnaire {
  const parsed = questionnaireSchema.safeParse(input);
  if (!parsed.success) {
    throw new QuestionnaireDefinitionError(parsed.error.issues.map((i) => ({ ...itemNameAt(input, i.path), message: i.message })));
  }
  const def = parsed.data;
  const issues: DefinitionIssue[] = [];
  const nodes = new Map<string, CompiledNode>();
  const exprOf = (node: CompiledNode, field: string, src: string | undefined): Ast | undefined => {
    if (src === undefined) return undefined;
    try {
      return parseExpression(src);
    } catch (e) {
      issues.push({ question: node.name, field, message: e instanceof ExpressionSyntaxError ? e.message : String(e) });
      return undefined;
    }
  };

  const build = (items: ItemDef[], parent: CompiledNode | null, repeats: CompiledNode[]): CompiledNode[] =>
    items.map((item) => {
      const node: CompiledNode = { def: item, name: item.name, repeats, parent, children: [] };
      if (nodes.has(item.name)) issues.push({ question: item.name, field: 'name', message: 'name is used twice (names must be unique in the form)' });
      else nodes.set(item.name, node);
      const rel = exprOf(node, 'relevant', item.relevant);
      if (rel) node.relevant = rel;
      if (item.kind === 'question') {
        if (typeof item.required === 'string') {
          const r = exprOf(node, 'required', item.required);
          if (r) node.required = r;
        } else if (item.required) node.required = true;
        const c = exprOf(node, 'constraint', item.constraint);
        if (c) node.constraint = c;
        const select = item.type === 'select_one' || item.type === 'select_multiple';
        if (select && !item.choices) issues.push({ question: item.name, field: 'choices', message: `${item.type} needs a choice list` });
        else if (!select && item.choices) issues.push({ question: item.name, field: 'choices', message: `${item.type} takes no choice list` });
        else if (item.choices) {
          const list = def.choiceLists[item.choices];
          if (!list) issues.push({ question: item.name, field: 'choices', message: `unknown choice list "${item.choices}"` });
          else node.choices = new Set(list.map((c) => c.name));
        }
      } else if (item.kind === 'calculate') {
        const c = exprOf(node, 'calculation', item.calculation);
        if (c) node.calculation = c;
      } else if (item.kind === 'group') node.children = build(item.items, node, repeats);
      else if (item.kind === 'repeat') {
        const c = exprOf(node, 'count', item.count);
        if (c) node.count = c;
        node.children = build(item.items, node, [...repeats, node]);
      }
      return node;
    });
  const roots = build(def.items, null, []);

  for (const [listName, list] of Object.entries(def.choiceLists)) {
    const seen = new Set<string>();
    for (const c of list) {
      if (seen.has(c.name)) issues.push({ question: listName, field: 'choices', message: `choice "${c.name}" appears twice in list "${listName}"` });
      seen.add(c.name);
    }
  }

  // References: exist, are answers or calculations (or a repeat inside count()), and respect repeat scoping.
  const deps = new Map<string, Set<string>>();
  const checkRefs = (node: CompiledNode, field: string, ast: Ast | undefined | boolean, scope: CompiledNode[]) => {
    if (!ast || ast === true) return;
    if (usesSelf(ast) && field !== 'constraint' && field !== 'required') issues.push({ question: node.name, field, message: '"." (this answer) is only meaningful in a constraint' });
    for (const r of references(ast)) {
      const target = nodes.get(r.name);
      if (!target) {
        issues.push({ question: node.name, field, message: `unknown question \${${r.name}}` });
        continue;
      }
      if (target.def.kind === 'group' || target.def.kind === 'note') {
        issues.push({ question: node.name, field, message: `\${${r.name}} is a ${target.def.kind}, not an answer` });
        continue;
      }
      const targetRepeats = target.def.kind === 'repeat' ? [...target.repeats, target] : target.repeats;
      const outside = targetRepeats.some((rep, i) => scope[i] !== rep);
      if (outside && !r.aggregated) issues.push({ question: node.name, field, message: `\${${r.name}} is inside repeat "${targetRepeats[targetRepeats.length - 1]!.name}": use it inside count(), sum(), max(), min() or join() here` });
      if (field !== 'constraint' || r.name !== node.name) (deps.get(node.name) ?? deps.set(node.name, new Set()).get(node.name)!).add(r.name);
    }
  };
  for (const node of nodes.values()) {
    const own = node.def.kind === 'repeat' ? [...node.repeats, node] : node.repeats;
    // A repeat's relevance and count are evaluated outside its instances.
    const outer = node.repeats;
    checkRefs(node, 'relevant', node.relevant, node.def.kind === 'repeat' ? outer : own);
    checkRefs(node, 'required', node.required, own);
    checkRefs(node, 'constraint', node.constraint, own);
    checkRefs(node, 'calculation', node.calculation, own);
    checkRefs(node, 'count', node.count, outer);
    // A value also depends on the relevance of its groups and repeats.
    for (let p = node.parent; p; p = p.parent) (deps.get(node.name) ?? deps.set(node.name, new Set()).get(node.name)!).add(p.name);
  }

  // Cycles (a calculation or relevance that depends on itself, directly or not) cannot be evaluated.
  const state = new Map<string, 1 | 2>();
  const visit = (n: string, stack: string[]): void => {
    if (state.get(n) === 2) return;
    if (state.get(n) === 1) {
      const cycle = stack.slice(stack.indexOf(n));
      issues.push({ question: n, field: 'relevant/calculation', message: `depends on itself: ${[...cycle, n].map((x) => `\${${x}}`).join(' → ')}` });
      return;
    }
    state.set(n, 1);
    for (const d of deps.get(n) ?? []) visit(d, [...stack, n]);
    state.set(n, 2);
  };
  for (const n of nodes.keys()) visit(n, []);

  if (def.pmt) {
    def.pmt.terms.forEach((t, i) => {
      const target = nodes.get(t.name);
      const field = `pmt.terms[${i}]`;
      if (!target) return issues.push({ question: t.name, field, message: 'PMT term names an unknown question' });
      if (target.repeats.length) return issues.push({ question: t.name, field, message: 'PMT terms use household-level answers: aggregate a repeat with a calculate (sum(), count()) and weight that' });
      const d = target.def;
      if (t.kind === 'numeric' && !(d.kind === 'calculate' || (d.kind === 'question' && (d.type === 'integer' || d.type === 'decimal')))) return issues.push({ question: t.name, field, message: 'a numeric PMT term needs an integer, decimal or calculate' });
      if (t.kind === 'choice') {
        if (d.kind !== 'question' || (d.type !== 'select_one' && d.type !== 'select_multiple')) return issues.push({ question: t.name, field, message: 'a choice PMT term needs a select_one or select_multiple' });
        const bad = Object.keys(t.weights).filter((c) => !target.choices?.has(c));
        if (bad.length) issues.push({ question: t.name, field, message: `weights for unknown choices: ${bad.join(', ')}` });
      }
      return undefined;
    });
  }

  if (issues.length) throw new QuestionnaireDefinitionError(issues);
  return { def, roots, nodes };
}
