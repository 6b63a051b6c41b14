// Sealed packets with biometrics for registry tests: a synthetic subject's face embedding and finger impressions
// (new capture per impression) with the kiosk's own finger templates, through the kiosk's real packet parts (fingers
// as WSQ).
import { packetParts } from '../../../main/enrollment/packet-parts.js';
import { placeholderJpeg } from '../../../main/enrollment/synthetic.js';
import { FINGER_TEMPLATE_FORMAT } from '../../../main/capture/draft.js';
import { extractTemplate, serializeTemplate } from '../../../models/finger/index.js';
import type { FingerCapture, FingerPosition } from '../../../main/enrollment/model.js';
import { synthesizeImpression } from '../../../drivers/synth/index.js';
import { SyntheticFaces } from '../../../models/dedup/synthetic.js';
import type { KioskIdentity } from '../../../sync/engine/identity.js';
import { sealPacket } from '../../../sync/packet/index.js';

export interface Capture {
  face: Float32Array;
  fingers: FingerCapture[];
}

const faces = new SyntheticFaces(undefined, 7);

export function capture(subject: number, n: number, fingers: FingerPosition[] = [2, 7]): Capture {
  const at = new Date().toISOString();
  return {
    face: faces.capture(subject, n),
    fingers: fingers.map((position) => {
      const imp = synthesizeImpression({ subject: `S${subject}`, finger: position, impression: n });
      const image = { width: imp.width, height: imp.height, ppi: 500, pixels: imp.pixels };
      // The kiosk's own template of the capture (main/capture: KFT1 from the pixels), spot-checked by the registry.
      return { position, image, template: serializeTemplate(extractTemplate(image)), templateFormat: FINGER_TEMPLATE_FORMAT, quality: 60, attempts: 1, capturedAt: at };
    }),
  };
}

export async function sealedBio(identity: KioskIdentity, registryKey: string, id: string, c: Capture, nationalNumber: string): Promise<{ id: string; bytes: Buffer; rid: string }> {
  const parts = await packetParts({ face: { image: placeholderJpeg(1, 4000), quality: {}, embedding: c.face, capturedAt: new Date().toISOString() }, fingers: c.fingers, exceptions: [] });
  const s = sealPacket({
    manifest: {
      recordId: id,
      rid: `${identity.centreId}.${identity.kioskId}.20261204.${id}`,
      kioskId: identity.kioskId,
      centreId: identity.centreId,
      sealedAt: new Date().toISOString(),
      record: { schemaVersion: 1, demographics: { nationalNumber }, fingers: c.fingers.map((f) => ({ position: f.position, width: f.image.width, height: f.image.height, ppi: 500 })) },
    },
    parts,
    kioskPrivateKey: identity.privateKey,
    registryPublicKey: registryKey,
  });
  return { id, bytes: Buffer.from(s.bytes), rid: s.manifest.rid };
}
