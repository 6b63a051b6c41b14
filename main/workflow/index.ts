// The enrollment workflow (issue 8): composition helper for the kiosk core.
import type { FingerCaptureService, FingerCaptureConfig } from '../capture/service.js';
import type { HandlerMap } from '../core/handlers.js';
import type { FingerPosition } from '../enrollment/model.js';
import type { FaceHandlers } from '../face/face-handlers.js';
import { ReceiptStore } from '../receipt/store.js';
import type { StoreServices } from '../store/index.js';
import { fingerSessionSource } from './finger-adapter.js';
import { createWorkflowHandlers } from './handlers.js';
import { LocationMasterData } from './master-data.js';
import type { DedupSearch } from './ports.js';
import { WorkflowService } from './service.js';

export { WorkflowService } from './service.js';
export { LocationMasterData, installMasterData } from './master-data.js';
export { transliterateArabicName } from './transliterate.js';

export interface WorkflowDeps {
  dataDir: string;
  store: StoreServices;
  face: Pick<FaceHandlers, 'lastCapture'> | null;
  fingerCapture: FingerCaptureService | null;
  fingerConfig: Pick<FingerCaptureConfig, 'order' | 'maxAttempts'>;
  dedup: () => DedupSearch | null;
  clock?: () => number;
}

export function createWorkflow(d: WorkflowDeps): { service: WorkflowService; locations: LocationMasterData; handlers: HandlerMap } {
  const locations = new LocationMasterData(d.dataDir);
  const fingers = d.fingerCapture ? fingerSessionSource(d.fingerCapture, { positions: [...d.fingerConfig.order.single] as FingerPosition[], maxAttempts: d.fingerConfig.maxAttempts }) : null;
  const service = new WorkflowService({
    enrollment: d.store.enrollment,
    auth: d.store.auth,
    audit: d.store.audit,
    idSchema: d.store.idSchema,
    locations,
    receipts: new ReceiptStore(d.dataDir, d.store.cipher),
    kiosk: { signingKey: d.store.kiosk.signingKey, fingerprint: d.store.kiosk.fingerprint },
    face: d.face,
    fingers: () => fingers,
    dedup: d.dedup,
    clock: d.clock ?? Date.now,
  });
  return { service, locations, handlers: createWorkflowHandlers({ workflow: service, auth: d.store.auth, locations }) };
}
