// Public API of the fingerprint module.
export * from './errors.js';
export * from './image.js';
export * from './extract.js';
export * from './minutiae.js';
export * from './quality.js';
export * from './template.js';
export * from './iso19794-2.js';
export { mccScore, mccSimilarity, cylinderSimilarity, LSSR } from './mcc.js';
export * from './matcher.js';
export * from './parallel-gallery.js';
export * from './evaluation.js';
export { loadGrayImage } from './load.js';
