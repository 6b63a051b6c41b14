// Minimal XML 1.0 reader for the parts of an .xlsx (no DTDs, no external entities: a DOCTYPE is refused).
import { XlsxReadError } from '../errors.js';

export interface XmlElement {
  name: string;
  /** Name without its namespace prefix. */
  local: string;
  attrs: Record<string, string>;
  children: (XmlElement | string)[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string, part: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (m, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      if (!Number.isFinite(cp) || cp > 0x10ffff) throw new XlsxReadError(`Invalid character reference ${m}`, { part });
      return String.fromCodePoint(cp);
    }
    const v = ENTITIES[e];
    if (v === undefined) throw new XlsxReadError(`Unknown XML entity ${m}`, { part });
    return v;
  });
}

export function parseXml(text: string, part: string): XmlElement {
  const root: XmlElement = { name: '#document', local: '#document', attrs: {}, children: [] };
  const stack: XmlElement[] = [root];
  let i = 0;
  const fail = (msg: string): never => {
    throw new XlsxReadError(`${part}: ${msg} (offset ${i})`, { part, offset: i });
  };
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) {
      if (text.slice(i).trim()) stack[stack.length - 1]!.children.push(decode(text.slice(i), part));
      break;
    }
    if (lt > i) stack[stack.length - 1]!.children.push(decode(text.slice(i, lt), part));
    i = lt;
    if (text.startsWith('<?', i)) {
      const e = text.indexOf('?>', i);
      if (e < 0) fail('unterminated processing instruction');
      i = e + 2;
    } else if (text.startsWith('<!--', i)) {
      const e = text.indexOf('-->', i);
      if (e < 0) fail('unterminated comment');
      i = e + 3;
    } else if (text.startsWith('<![CDATA[', i)) {
      const e = text.indexOf(']]>', i);
      if (e < 0) fail('unterminated CDATA');
      stack[stack.length - 1]!.children.push(text.slice(i + 9, e));
      i = e + 3;
    } else if (text.startsWith('<!', i)) fail('DOCTYPE and declarations are not accepted');
    else if (text.startsWith('</', i)) {
      const e = text.indexOf('>', i);
      if (e < 0) fail('unterminated end tag');
      const name = text.slice(i + 2, e).trim();
      const top = stack.pop();
      if (!top || top.name !== name || stack.length === 0) fail(`end tag </${name}> does not match <${top?.name ?? ''}>`);
      i = e + 1;
    } else {
      const m = /^<([A-Za-z_][\w.:-]*)/.exec(text.slice(i, i + 256));
      if (!m) fail('malformed start tag');
      const name = m![1]!;
      i += m![0].length;
      const attrs: Record<string, string> = {};
      for (;;) {
        while (/\s/.test(text[i] ?? '')) i++;
        if (text.startsWith('/>', i) || text[i] === '>') break;
        const a = /^([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/.exec(text.slice(i, i + 65_536));
        if (!a) fail(`malformed attribute in <${name}>`);
        attrs[a![1]!] = decode(a![3] ?? a![4] ?? '', part);
        i += a![0].length;
      }
      const el: XmlElement = { name, local: name.includes(':') ? name.slice(name.indexOf(':') + 1) : name, attrs, children: [] };
      stack[stack.length - 1]!.children.push(el);
      if (text.startsWith('/>', i)) i += 2;
      else {
        i += 1;
        stack.push(el);
      }
    }
  }
  if (stack.length !== 1) throw new XlsxReadError(`${part}: unclosed element <${stack[stack.length - 1]!.name}>`, { part });
  const top = root.children.find((c): c is XmlElement => typeof c !== 'string');
  if (!top) throw new XlsxReadError(`${part}: no root element`, { part });
  return top;
}

export const elements = (e: XmlElement, local?: string): XmlElement[] => e.children.filter((c): c is XmlElement => typeof c !== 'string' && (local === undefined || c.local === local));
export const child = (e: XmlElement, local: string): XmlElement | undefined => elements(e, local)[0];
export function textOf(e: XmlElement): string {
  return e.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}
