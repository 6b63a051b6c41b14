// Standard biometric formats: WSQ, ISO/IEC 19794-4/-5 and ANSI 381 records, ANSI/NIST-ITL 1-2011, CBEFF XML.
export * from './errors.js';
export * as wsq from './wsq/index.js';
export * as iso from './iso/index.js';
export * as an2k from './an2k/index.js';
export * as cbeff from './cbeff/index.js';
export { encodeGreyPng, decodeGreyPng } from './image/png.js';
