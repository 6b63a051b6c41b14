// FBI WSQ 3.1 codec: decoder, encoder and marker inspection.
export { decodeWsq, inspectWsq, parseNistcom, DEFAULT_MAX_PIXELS } from './decode.js';
export type { WsqImage, WsqInfo, WsqFrameHeader, WsqSegment, WsqDecodeOptions, WsqQuantization } from './decode.js';
export { encodeWsq, nistcomText, DEFAULT_BIT_RATE, MIN_DIMENSION } from './encode.js';
export type { WsqEncodeOptions } from './encode.js';
export { WsqService } from './service.js';
export type { DecodedWsq } from './service.js';
