// CBEFF XML, ISO/IEC 19785-3:2015 patron format as carried in MOSIP registration packets: a root BIR holding one child
// BIR per sample; each child has Version, CBEFFVersion, BIRInfo, BDBInfo (Format organization/type, CreationDate, Type,
// Subtype, Level, Purpose, Quality) and the biometric data block (an ISO 19794 record) base64-encoded in BDB.
import { CbeffError } from '../errors.js';
import { el, parseXml, writeXml, type XmlElement } from './xml.js';

export const CBEFF_NAMESPACE = 'http://standards.iso.org/iso-iec/19785/-3/ed-2/';

/** Format types registered for MOSIP/ISO biometric data blocks. */
export const CBEFF_FORMAT_TYPE = { fingerMinutiae: 2, fingerImage: 7, faceImage: 8, irisImage: 9 } as const;

export type CbeffLevel = 'Raw' | 'Intermediate' | 'Processed';
export type CbeffPurpose = 'Verify' | 'Identify' | 'Enroll' | 'EnrollVerify' | 'EnrollIdentify' | 'Audit';

export interface CbeffBir {
  format: { organization: string; type: number };
  /** ISO 8601 date-time. */
  creationDate: string;
  /** Biometric type, e.g. "Finger", "Face", "Iris". */
  type: string;
  /** Space-separated subtype, e.g. "Left IndexFinger"; empty for face. */
  subtype: string;
  level: CbeffLevel;
  purpose: CbeffPurpose;
  quality?: { score: number; algorithm?: { organization: string; type: string } };
  /** Sample identifier (BDBInfo/Index), e.g. a UUID. */
  index?: string;
  /** The biometric data block, e.g. an ISO/IEC 19794-4 finger image record. */
  bdb: Uint8Array;
}

export interface CbeffWriteOptions {
  /** MOSIP packets use URL-safe base64 without padding; standard base64 otherwise. */
  base64url?: boolean;
}

const invalid = (m: string) => new CbeffError(m, { code: 'CBEFF_INVALID_INPUT' });
const LEVELS = new Set(['Raw', 'Intermediate', 'Processed']);
const PURPOSES = new Set(['Verify', 'Identify', 'Enroll', 'EnrollVerify', 'EnrollIdentify', 'Audit']);
const version = (name: string) => el(name, [el('Major', '1'), el('Minor', '1')]);

export function writeCbeff(birs: CbeffBir[], opts: CbeffWriteOptions = {}): string {
  const children = birs.map((b, i) => {
    if (!LEVELS.has(b.level)) throw invalid(`BIR ${i}: bad level ${b.level}`);
    if (!PURPOSES.has(b.purpose)) throw invalid(`BIR ${i}: bad purpose ${b.purpose}`);
    if (!Number.isInteger(b.format.type) || b.format.type < 0) throw invalid(`BIR ${i}: bad format type`);
    if (Number.isNaN(Date.parse(b.creationDate))) throw invalid(`BIR ${i}: creationDate is not an ISO 8601 date-time`);
    const info: XmlElement[] = [];
    if (b.index !== undefined) info.push(el('Index', b.index));
    info.push(el('Format', [el('Organization', b.format.organization), el('Type', String(b.format.type))]));
    info.push(el('CreationDate', b.creationDate));
    info.push(el('Type', b.type));
    info.push(el('Subtype', b.subtype));
    info.push(el('Level', b.level));
    info.push(el('Purpose', b.purpose));
    if (b.quality) {
      if (!Number.isFinite(b.quality.score)) throw invalid(`BIR ${i}: quality score must be a number`);
      const q: XmlElement[] = [];
      if (b.quality.algorithm) q.push(el('Algorithm', [el('Organization', b.quality.algorithm.organization), el('Type', b.quality.algorithm.type)]));
      q.push(el('Score', String(b.quality.score)));
      info.push(el('Quality', q));
    }
    const data = Buffer.from(b.bdb.buffer, b.bdb.byteOffset, b.bdb.length).toString(opts.base64url ? 'base64url' : 'base64');
    return el('BIR', [version('Version'), version('CBEFFVersion'), el('BIRInfo', [el('Integrity', 'false')]), el('BDBInfo', info), el('BDB', data)]);
  });
  return writeXml(el('BIR', [el('BIRInfo', [el('Integrity', 'false')]), ...children], { xmlns: CBEFF_NAMESPACE }));
}

const BIR_CHILDREN = new Set(['Version', 'CBEFFVersion', 'BIRInfo', 'BDBInfo', 'BDB', 'SB', 'others']);
const BDBINFO_CHILDREN = new Set([
  'ChallengeResponse', 'Index', 'Format', 'Encryption', 'CreationDate', 'NotValidBefore', 'NotValidAfter', 'Type', 'Subtype', 'Level', 'Product',
  'CaptureDevice', 'FeatureExtractionAlgorithm', 'ComparisonAlgorithm', 'CompressionAlgorithm', 'Purpose', 'Quality',
]);

function localName(name: string): string {
  const c = name.indexOf(':');
  return c < 0 ? name : name.slice(c + 1);
}

function child(e: XmlElement, name: string, path: string): XmlElement {
  const found = e.children.filter((c) => localName(c.name) === name);
  if (found.length !== 1) throw new CbeffError(`${path}: expected exactly one <${name}>, found ${found.length}`);
  return found[0]!;
}

function optional(e: XmlElement, name: string, path: string): XmlElement | undefined {
  const found = e.children.filter((c) => localName(c.name) === name);
  if (found.length > 1) throw new CbeffError(`${path}: <${name}> appears ${found.length} times`);
  return found[0];
}

const leaf = (e: XmlElement) => e.text.trim();

function decodeBase64(s: string, path: string): Uint8Array {
  const clean = s.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/\-_]*={0,2}$/.test(clean)) throw new CbeffError(`${path}: BDB is not base64`);
  return new Uint8Array(Buffer.from(clean.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
}

function parseBir(b: XmlElement, path: string): CbeffBir {
  for (const c of b.children) if (!BIR_CHILDREN.has(localName(c.name))) throw new CbeffError(`${path}: unexpected <${c.name}>`);
  const info = child(b, 'BDBInfo', path);
  const ip = `${path}/BDBInfo`;
  for (const c of info.children) if (!BDBINFO_CHILDREN.has(localName(c.name))) throw new CbeffError(`${ip}: unexpected <${c.name}>`);
  const format = child(info, 'Format', ip);
  const type = Number(leaf(child(format, 'Type', `${ip}/Format`)));
  if (!Number.isInteger(type) || type < 0) throw new CbeffError(`${ip}/Format/Type is not a non-negative integer`);
  const level = leaf(child(info, 'Level', ip));
  if (!LEVELS.has(level)) throw new CbeffError(`${ip}/Level: unknown value ${JSON.stringify(level)}`);
  const purpose = leaf(child(info, 'Purpose', ip));
  if (!PURPOSES.has(purpose)) throw new CbeffError(`${ip}/Purpose: unknown value ${JSON.stringify(purpose)}`);
  const creationDate = leaf(child(info, 'CreationDate', ip));
  if (Number.isNaN(Date.parse(creationDate))) throw new CbeffError(`${ip}/CreationDate is not a date-time`);
  const out: CbeffBir = {
    format: { organization: leaf(child(format, 'Organization', `${ip}/Format`)), type },
    creationDate,
    type: leaf(child(info, 'Type', ip)),
    subtype: leaf(optional(info, 'Subtype', ip) ?? { name: '', attrs: {}, children: [], text: '' }),
    level: level as CbeffLevel,
    purpose: purpose as CbeffPurpose,
    bdb: decodeBase64(child(b, 'BDB', path).text, path),
  };
  const index = optional(info, 'Index', ip);
  if (index) out.index = leaf(index);
  const q = optional(info, 'Quality', ip);
  if (q) {
    const score = Number(leaf(child(q, 'Score', `${ip}/Quality`)));
    if (!Number.isFinite(score)) throw new CbeffError(`${ip}/Quality/Score is not a number`);
    const alg = optional(q, 'Algorithm', `${ip}/Quality`);
    out.quality = alg
      ? { score, algorithm: { organization: leaf(child(alg, 'Organization', `${ip}/Quality/Algorithm`)), type: leaf(child(alg, 'Type', `${ip}/Quality/Algorithm`)) } }
      : { score };
  }
  return out;
}

/** Parses a CBEFF XML document into its BIRs (a root BIR with nested BIRs, or a single BIR with a BDB). */
export function parseCbeff(xml: string): CbeffBir[] {
  try {
    const root = parseXml(xml);
    if (localName(root.name) !== 'BIR') throw new CbeffError(`root element is <${root.name}>, expected <BIR>`);
    const nested = root.children.filter((c) => localName(c.name) === 'BIR');
    if (nested.length === 0) return [parseBir(root, 'BIR')];
    for (const c of root.children) if (!['BIR', 'BIRInfo', 'Version', 'CBEFFVersion', 'SB', 'others'].includes(localName(c.name))) throw new CbeffError(`BIR: unexpected <${c.name}>`);
    return nested.map((b, i) => parseBir(b, `BIR/BIR[${i}]`));
  } catch (e) {
    if (e instanceof CbeffError) throw e;
    throw new CbeffError('CBEFF XML could not be parsed', { cause: e });
  }
}

/** MOSIP subtype strings for ISO finger positions 1–10 and slaps. */
export const FINGER_SUBTYPE: Record<number, string> = {
  1: 'Right Thumb',
  2: 'Right IndexFinger',
  3: 'Right MiddleFinger',
  4: 'Right RingFinger',
  5: 'Right LittleFinger',
  6: 'Left Thumb',
  7: 'Left IndexFinger',
  8: 'Left MiddleFinger',
  9: 'Left RingFinger',
  10: 'Left LittleFinger',
  13: 'Right Slap',
  14: 'Left Slap',
  15: 'Thumbs Slap',
};
