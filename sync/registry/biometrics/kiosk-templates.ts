// The kiosk's own finger templates, used by the registry only after a spot check against the images they came with.
//
// Every packet carries, per finger, the WSQ image and the template the kiosk extracted from the uncompressed capture
// (`finger.N.template`: the kiosk's compact "KFT1" form from models/finger, or an ISO/IEC 19794-2 record from a
// sensor). Re-extracting ten fingers from WSQ was ≈ 75 % of the registry's CPU per packet. Instead the registry
// re-extracts `verify` fingers chosen at random after the packet arrived (crypto.randomInt: the kiosk cannot know
// which), compares its template with the kiosk's for the same finger, and uses the kiosk's templates only when every
// checked finger agrees (score ≥ VERIFY_MIN_SCORE). One disagreement and every finger is extracted from the images,
// the packet's evidence says so and an audit event is written (docs/REGISTRY.md "Kiosk templates, spot-checked").
import { randomInt } from 'node:crypto';
import { createTemplate, decodeIso19794_2, serializeTemplate, TEMPLATE_VERSION } from '../../../models/finger/index.js';
import type { OpenedPacket } from '../../packet/index.js';

/**
 * Lowest score (models/finger scale, −10·log10 FMR) at which the registry's template of a finger confirms the
 * kiosk's. 40 is the matcher's decision threshold (FMR 0.01 % on real impostor pairs); the same capture extracted
 * from the raw image and from its WSQ scores far above it (bench registry-template-check on fcj2020).
 */
export const VERIFY_MIN_SCORE = 40;

/** Fingers re-extracted per packet to check the kiosk's templates (the rest use the kiosk's). */
export const DEFAULT_VERIFY_FINGERS = 2;

const KFT1 = 0x3154464b;
/** ISO 19794-2 resolution (px/cm) of 500 ppi, the working resolution of every KFT1 template. */
const PPCM_500 = 500 / 2.54;

/**
 * The kiosk's template of one finger as compact KFT1 bytes, or null when the packet has none or it does not parse
 * (then the registry extracts that finger itself). ISO 19794-2 records are converted (first view, 500 ppi).
 */
export function kioskTemplateOf(p: OpenedPacket, position: number): Uint8Array | null {
  const data = p.parts.get(`finger.${position}.template`);
  if (!data || data.length < 16) return null;
  try {
    if (data.readUInt32LE(0) === KFT1) {
      // Header checks only (version, minutia count vs length): every field of a minutia is a bounded integer, and
      // rebuilding the cylinders here just to validate would cost what the matcher pays again later.
      // Version 2 appends the orientation grid (header bytes 12–13: its width and height); version 1 is still read.
      const count = data.readUInt16LE(10);
      const version = data.readUInt16LE(4);
      const grid = version === TEMPLATE_VERSION ? data[12]! * data[13]! : 0;
      if ((version !== 1 && version !== TEMPLATE_VERSION) || count === 0 || data.length !== 16 + count * 8 + grid) return null;
      return new Uint8Array(data);
    }
    if (data[0] === 0x46 && data[1] === 0x4d && data[2] === 0x52 && data[3] === 0) {
      const rec = decodeIso19794_2(new Uint8Array(data));
      const view = rec.views.find((v) => v.fingerPosition === position) ?? rec.views[0];
      if (!view || view.minutiae.length === 0) return null;
      const sx = rec.resolutionX > 0 ? PPCM_500 / rec.resolutionX : 1;
      const sy = rec.resolutionY > 0 ? PPCM_500 / rec.resolutionY : 1;
      const minutiae = view.minutiae.map((m) => ({ ...m, x: m.x * sx, y: m.y * sy }));
      return serializeTemplate(createTemplate(minutiae, Math.round(rec.width * sx), Math.round(rec.height * sy)));
    }
  } catch {
    return null;
  }
  return null;
}

/** `k` distinct items chosen uniformly at random with the CSPRNG (partial Fisher–Yates). */
export function pickRandom<T>(items: readonly T[], k: number): T[] {
  const a = [...items];
  const n = Math.min(Math.max(0, k), a.length);
  for (let i = 0; i < n; i++) {
    const j = i + randomInt(a.length - i);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a.slice(0, n);
}

/** How the templates of one packet were obtained (part of its dedup evidence). */
export interface TemplateCheck {
  /** kiosk: the kiosk's templates, spot-checked; registry: every finger extracted from its image here. */
  source: 'kiosk' | 'registry';
  /** Positions re-extracted and compared with the kiosk's template, and their scores. */
  checked: { position: number; score: number | null }[];
  /** Checked positions whose kiosk template did not match the image (score < VERIFY_MIN_SCORE or no template). */
  mismatched: number[];
}
