// IPC handlers of kiosk:provisioning.* (technician) and kiosk:operators.* (technicians and supervisors; setOwnPin
// for the signed-in operator). Roles are checked here, in main.
import type { z } from 'zod';
import type { FingerprintDevice } from '../../drivers/device.js';
import { MATCH_THRESHOLD } from '../../models/finger/score-scale.js';
import type { AuthService } from '../auth/service.js';
import { KioskError } from '../contract/errors.js';
import type { provisioningChannels } from '../contract/channels/provisioning.js';
import type { CallContext } from '../core/handlers.js';
import type { ProvisioningService, ProvisioningView } from './service.js';

type Channels = typeof provisioningChannels;
export type ProvisioningHandlerMap = {
  [C in keyof Channels]: (request: z.output<Channels[C]['request']>, ctx: CallContext) => Promise<z.output<Channels[C]['response']>>;
};

export interface OperatorFingerSource {
  /** An opened fingerprint device of this kiosk. */
  device(id: string): FingerprintDevice | null;
  /** Quality and compact template of one grey image (main/capture FingerAnalyzer). */
  analyse(image: { width: number; height: number; ppi: number; pixels: Uint8Array }): Promise<{ quality: number; template: Uint8Array }>;
  /** Normalised matcher scores of a probe against candidates (main/capture FingerAnalyzer.compare). */
  compare(probe: Uint8Array, candidates: Uint8Array[]): Promise<number[]>;
  qualityMin: number;
  timeoutMs: number;
}

const view = (v: ProvisioningView) => v;

/** One live capture on a device of this kiosk, analysed; refuses images below the quality floor. */
async function captureTemplate(src: OperatorFingerSource | null, deviceId: string, position: number): Promise<{ quality: number; template: Uint8Array }> {
  const device = src?.device(deviceId) ?? null;
  if (!src || !device) throw new KioskError('FINGER_DEVICE_UNAVAILABLE', `Fingerprint device ${deviceId} is not open on this kiosk`, { details: { deviceId } });
  const captured = await device.capture({ positions: [position], timeoutMs: src.timeoutMs });
  const img = captured.images[0];
  if (!img) throw new KioskError('FINGER_CAPTURE_FAILED', 'The device returned no image', { details: { deviceId } });
  const a = await src.analyse({ width: img.width, height: img.height, ppi: img.ppi, pixels: img.pixels });
  if (a.quality < src.qualityMin) throw new KioskError('FINGER_QUALITY_LOW', `Finger quality ${Math.round(a.quality)} is below ${src.qualityMin}; clean the finger and the glass, press flat, retry`, { details: { quality: Math.round(a.quality), min: src.qualityMin } });
  return a;
}

export interface ConfiguredSensor {
  id: string;
  kind: string;
  label: string;
  state: string;
  detail?: string;
}

export function createProvisioningHandlers(deps: { provisioning: ProvisioningService; auth: AuthService; fingers: OperatorFingerSource | null; configured?: () => ConfiguredSensor[] }): ProvisioningHandlerMap {
  const { provisioning: p, auth } = deps;
  const tech = (ctx: CallContext, action: string) => auth.requireRole(ctx, ['technician'], action).operatorId;
  const manager = (ctx: CallContext, action: string) => auth.requireRole(ctx, ['technician', 'supervisor'], action);
  return {
    'kiosk:provisioning.status': async () => {
      const v = p.view();
      return { inService: v.inService, demo: v.demo, ready: v.ready };
    },
    'kiosk:provisioning.state': async (_r, ctx) => (tech(ctx, 'view provisioning'), view(p.view())),
    'kiosk:provisioning.setLanguage': async (r, ctx) => view(await p.setLanguage(tech(ctx, 'provision'), r.locale)),
    'kiosk:provisioning.register': async (r, ctx) => view(await p.register(tech(ctx, 'provision'), r)),
    'kiosk:provisioning.applyBundle': async (r, ctx) => view(await p.applyBundle(tech(ctx, 'provision'), r.dir, r.registryKeyFingerprint)),
    'kiosk:provisioning.download': async (_r, ctx) => view(await p.download(tech(ctx, 'provision'))),
    'kiosk:provisioning.setStation': async (r, ctx) => view(await p.setStation(tech(ctx, 'provision'), r.stationId)),
    'kiosk:provisioning.discoverDevices': async (r, ctx) => {
      tech(ctx, 'discover devices');
      const d = await p.discoverDevices(r.serialPaths);
      return { serial: { ...d.serial, ports: d.serial.ports.map((port) => ({ ...port })) }, sbi: d.sbi, configured: deps.configured?.() ?? [] };
    },
    'kiosk:provisioning.testDevice': async (r, ctx) => view(await p.testDevice(tech(ctx, 'test devices'), r)),
    'kiosk:provisioning.removeDevice': async (r, ctx) => view(await p.removeDevice(tech(ctx, 'assign devices'), r.id)),
    'kiosk:provisioning.cameraTest': async (r, ctx) => {
      const actor = tech(ctx, 'test the camera');
      return view(r.ok ? await p.recordCameraTest(actor, r) : await p.recordCameraFailure(actor, r.reason));
    },
    'kiosk:provisioning.checkModels': async (_r, ctx) => view(await p.checkModels(tech(ctx, 'provision'))),
    'kiosk:provisioning.checkClock': async (_r, ctx) => view(await p.checkClock(tech(ctx, 'provision'))),
    'kiosk:provisioning.waive': async (r, ctx) => view(await p.waive(tech(ctx, 'waive checklist items'), r.item, r.reason)),
    'kiosk:provisioning.enterService': async (_r, ctx) => view(await p.enterService(tech(ctx, 'put the kiosk in service'))),

    'kiosk:operators.list': async (_r, ctx) => (manager(ctx, 'list operators'), { operators: await auth.listOnboarding() }),
    'kiosk:operators.create': async (r, ctx) => auth.createWithTemporaryPin(manager(ctx, 'create operators'), r),
    'kiosk:operators.resetPin': async (r, ctx) => auth.resetPin(manager(ctx, 'reset PINs'), r.id, r.temporaryPin),
    'kiosk:operators.deactivate': async (r, ctx) => auth.deactivate(manager(ctx, 'deactivate operators'), r.id),
    'kiosk:operators.unlock': async (r, ctx) => auth.unlockOperator(manager(ctx, 'unlock operators'), r.id),
    'kiosk:operators.setOwnPin': async (r, ctx) => {
      await auth.setOwnPin(ctx, r.currentPin, r.newPin);
      return { pinState: 'set' as const };
    },
    'kiosk:operators.enrolFinger': async (r, ctx) => {
      const actor = manager(ctx, 'enrol operator fingerprints');
      const a = await captureTemplate(deps.fingers, r.deviceId, r.position);
      return auth.enrolFinger(actor, r.id, { position: r.position, template: a.template, format: 'kft1', quality: a.quality });
    },
    'kiosk:operators.fingerSignIn': async (r, ctx) => {
      const src = deps.fingers;
      // The scan happens only once the operator is known to have enrolled fingers (no pointless finger on the glass).
      const session = await auth.signInWithFinger(r.operatorId, async (templates) => {
        const probe = await captureTemplate(src, r.deviceId, 0);
        return Math.max(...(await src!.compare(probe.template, templates))) >= MATCH_THRESHOLD;
      });
      ctx.setSession(session);
      return { operatorId: session.operatorId, role: session.role, signedInAt: new Date(session.signedInAt).toISOString(), idleTimeoutSeconds: auth.idleTimeoutSeconds, pinChangeRequired: session.pinChangeRequired === true };
    },
  };
}
