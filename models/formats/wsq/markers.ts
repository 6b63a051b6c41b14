// WSQ marker codes and fixed segment sizes. FBI WSQ spec v3.1 §B.2 (Table B.1).
export const SOI = 0xffa0;
export const EOI = 0xffa1;
export const SOF = 0xffa2;
export const SOB = 0xffa3;
export const DTT = 0xffa4;
export const DQT = 0xffa5;
export const DHT = 0xffa6;
export const DRT = 0xffa7;
export const COM = 0xffa8;
/** Restart markers RST0..RST7 (only meaningful after a DRT with a non-zero interval). */
export const RST0 = 0xffb0;
export const RST7 = 0xffb7;

export const MARKER_NAMES: Record<number, string> = {
  [SOI]: 'SOI',
  [EOI]: 'EOI',
  [SOF]: 'SOF',
  [SOB]: 'SOB',
  [DTT]: 'DTT',
  [DQT]: 'DQT',
  [DHT]: 'DHT',
  [DRT]: 'DRT',
  [COM]: 'COM',
};

/** Huffman category symbols of §B.6 / Table B.4. */
export const SYM_ZRUN_MAX = 100; // 1..100: run of that many zero coefficients
export const SYM_POS8 = 101;
export const SYM_NEG8 = 102;
export const SYM_POS16 = 103;
export const SYM_NEG16 = 104;
export const SYM_ZRUN8 = 105;
export const SYM_ZRUN16 = 106;
/** Symbols 107..254 carry a coefficient value of symbol - 180, i.e. -73..74. */
export const SYM_COEFF_BIAS = 180;
export const MAX_DIRECT_COEFF = 74;
export const MIN_DIRECT_COEFF = -73;

/** Fixed-point parameter: value = raw / 10^scale (spec §B.3). */
export function scaled(raw: number, scale: number): number {
  return raw / 10 ** scale;
}

/** Encodes a non-negative value as (scale, raw) with raw < limit, keeping as many digits as fit (as NBIS does). */
export function toScaled(value: number, limit: number): { scale: number; raw: number } {
  if (!(value > 0)) return { scale: 0, raw: 0 };
  if (value >= limit) throw new RangeError(`value ${value} does not fit a scaled ${limit} field`);
  let v = value;
  let scale = 0;
  while (v < limit && scale < 255) {
    scale++;
    v *= 10;
  }
  scale--;
  const raw = Math.round(v / 10);
  return raw >= limit ? { scale: scale - 1, raw: Math.round(v / 100) } : { scale, raw };
}
