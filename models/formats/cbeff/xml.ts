// Minimal XML 1.0 writer and strict, non-validating parser for the CBEFF patron format: elements, attributes, character
// data, the five predefined entities and numeric character references, comments, CDATA and the XML declaration.
// DOCTYPE (and so any entity expansion) is refused; depth and size are bounded.
import { CbeffError } from '../errors.js';

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated character data directly inside this element. */
  text: string;
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Serialises with two-space indentation; elements with children carry no text. */
export function writeXml(root: XmlElement, declaration = true): string {
  const out: string[] = declaration ? ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'] : [];
  const walk = (el: XmlElement, depth: number) => {
    const pad = '  '.repeat(depth);
    const attrs = Object.entries(el.attrs)
      .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
      .join('');
    if (el.children.length === 0) {
      out.push(el.text === '' ? `${pad}<${el.name}${attrs}/>` : `${pad}<${el.name}${attrs}>${escapeXml(el.text)}</${el.name}>`);
      return;
    }
    out.push(`${pad}<${el.name}${attrs}>`);
    for (const c of el.children) walk(c, depth + 1);
    out.push(`${pad}</${el.name}>`);
  };
  walk(root, 0);
  return out.join('\n') + '\n';
}

export function el(name: string, children: XmlElement[] | string, attrs: Record<string, string> = {}): XmlElement {
  return typeof children === 'string' ? { name, attrs, children: [], text: children } : { name, attrs, children, text: '' };
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.:-]*$/;
const MAX_DEPTH = 64;

export function parseXml(xml: string, maxLength = 256 * 1024 * 1024): XmlElement {
  const fail = (m: string, at: number) => new CbeffError(`XML: ${m} at offset ${at}`, { details: { offset: at } });
  if (xml.length > maxLength) throw new CbeffError(`XML document larger than ${maxLength} characters`);
  let i = 0;
  const n = xml.length;
  const skipWs = () => {
    while (i < n && /\s/.test(xml[i]!)) i++;
  };
  const decode = (s: string, at: number): string =>
    s.replace(/&(#x[0-9A-Fa-f]+|#[0-9]+|[a-z]+);|&/g, (m, ref: string | undefined) => {
      if (ref === undefined) throw fail('bare "&"', at);
      if (ref[0] === '#') {
        const cp = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
        if (!(cp > 0 && cp <= 0x10ffff)) throw fail(`bad character reference ${m}`, at);
        return String.fromCodePoint(cp);
      }
      const v = ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[ref];
      if (v === undefined) throw fail(`unknown entity ${m}`, at);
      return v;
    });
  const skipMisc = () => {
    for (;;) {
      skipWs();
      if (xml.startsWith('<!--', i)) {
        const e = xml.indexOf('-->', i + 4);
        if (e < 0) throw fail('unterminated comment', i);
        i = e + 3;
      } else if (xml.startsWith('<?', i)) {
        const e = xml.indexOf('?>', i + 2);
        if (e < 0) throw fail('unterminated processing instruction', i);
        i = e + 2;
      } else if (xml.startsWith('<!DOCTYPE', i)) {
        throw fail('DOCTYPE is not allowed', i);
      } else return;
    }
  };
  const parseElement = (depth: number): XmlElement => {
    if (depth > MAX_DEPTH) throw fail('elements nested too deeply', i);
    if (xml[i] !== '<') throw fail('expected "<"', i);
    i++;
    let j = i;
    while (j < n && !/[\s/>]/.test(xml[j]!)) j++;
    const name = xml.slice(i, j);
    if (!NAME.test(name)) throw fail(`bad element name ${JSON.stringify(name.slice(0, 40))}`, i);
    i = j;
    const attrs: Record<string, string> = {};
    for (;;) {
      skipWs();
      if (xml.startsWith('/>', i)) {
        i += 2;
        return { name, attrs, children: [], text: '' };
      }
      if (xml[i] === '>') {
        i++;
        break;
      }
      let k = i;
      while (k < n && !/[\s=/>]/.test(xml[k]!)) k++;
      const an = xml.slice(i, k);
      if (!NAME.test(an)) throw fail('bad attribute name', i);
      i = k;
      skipWs();
      if (xml[i] !== '=') throw fail('expected "="', i);
      i++;
      skipWs();
      const q = xml[i];
      if (q !== '"' && q !== "'") throw fail('expected a quoted attribute value', i);
      const e = xml.indexOf(q, i + 1);
      if (e < 0) throw fail('unterminated attribute value', i);
      const raw = xml.slice(i + 1, e);
      if (raw.includes('<')) throw fail('"<" in attribute value', i);
      if (an in attrs) throw fail(`duplicate attribute ${an}`, i);
      attrs[an] = decode(raw, i);
      i = e + 1;
    }
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      if (i >= n) throw fail(`unclosed element <${name}>`, i);
      if (xml.startsWith('</', i)) {
        const e = xml.indexOf('>', i);
        if (e < 0) throw fail('unterminated end tag', i);
        const closing = xml.slice(i + 2, e).trim();
        if (closing !== name) throw fail(`</${closing}> does not close <${name}>`, i);
        i = e + 1;
        return { name, attrs, children, text };
      }
      if (xml.startsWith('<!--', i)) {
        const e = xml.indexOf('-->', i + 4);
        if (e < 0) throw fail('unterminated comment', i);
        i = e + 3;
      } else if (xml.startsWith('<![CDATA[', i)) {
        const e = xml.indexOf(']]>', i + 9);
        if (e < 0) throw fail('unterminated CDATA', i);
        text += xml.slice(i + 9, e);
        i = e + 3;
      } else if (xml.startsWith('<?', i)) {
        const e = xml.indexOf('?>', i + 2);
        if (e < 0) throw fail('unterminated processing instruction', i);
        i = e + 2;
      } else if (xml[i] === '<') {
        children.push(parseElement(depth + 1));
      } else {
        const e = xml.indexOf('<', i);
        const end = e < 0 ? n : e;
        text += decode(xml.slice(i, end), i);
        i = end;
      }
    }
  };
  if (xml.charCodeAt(0) === 0xfeff) i = 1;
  skipMisc();
  const root = parseElement(0);
  skipMisc();
  if (i !== n) throw fail('content after the root element', i);
  return root;
}
