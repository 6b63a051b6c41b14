// ANSI/NIST-ITL 1-2011 traditional encoding: model, reader, writer, tenprint builder and a JSON-friendly dump.
export * from './model.js';
export { readAn2k, looksLikeAn2k } from './reader.js';
export { writeAn2k, solveLen, contentField, tagText } from './writer.js';
export { buildTenprint, readTenprint, validateTenprint } from './tenprint.js';
export type { TenprintInput, TenprintFinger, TenprintFace, FingerImpression } from './tenprint.js';
export { dumpAn2k } from './dump.js';
export type { An2kDump, An2kRecordDump } from './dump.js';
