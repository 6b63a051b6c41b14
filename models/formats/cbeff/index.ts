// CBEFF (ISO/IEC 19785-3) XML patron format for MOSIP-style registration packets.
export * from './cbeff.js';
export { parseXml, writeXml, escapeXml, el } from './xml.js';
export type { XmlElement } from './xml.js';
export { fingerBirs, faceBirs } from './from-iso.js';
export type { BirOptions } from './from-iso.js';
