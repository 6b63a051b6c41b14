// ISO/IEC 19794-4 / ANSI 381 finger image and ISO/IEC 19794-5 face image records.
export * from './finger-image.js';
export * from './face-image.js';
