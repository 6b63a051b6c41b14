// The enrollment workflow (issue 8): composition helper for the kiosk core.
import type { FingerCaptureService, FingerCaptureConfig } from '../capture/service.js';
import type { HandlerMap } from '../core/handlers.js';
import type { FingerPosition } from '../enrollment/model.js';
import type { FaceHandlers } from '../face/face-handlers.js';
import type { Locale } from '../contract/ipc.js';
import { osTimeZone, type ReceiptOptions } from '../receipt/receipt-text.js';
import { ReceiptStore } from '../receipt/store.js';
import type { StoreServices } from '../store/index.js';
import { fingerSessionSource } from './finger-adapter.js';
import { createWorkflowHandlers } from './handlers.js';
import { LocationMasterData } from './master-data.js';
import type { DedupSearch, FingerSessionSource } from './ports.js';
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
  /** Replaces the source built over `fingerCapture` (another capture service, or a test's). */
  fingerSource?: () => FingerSessionSource | null;
  clock?: () => number;
  /** Config `receipt` and `defaultLocale` (the receipt's time zone, texts and fallback language). */
  receipt?: { options: Omit<ReceiptOptions, 'timeZone'> & { timeZone: string | null }; defaultLocale: Locale };
}

export interface Workflow {
  service: WorkflowService;
  locations: LocationMasterData;
  receipts: ReceiptStore;
  handlers: HandlerMap;
  /** Removes receipt files of records that are gone (purged while the kiosk was off); returns how many. */
  pruneReceipts(): Promise<number>;
  dispose(): Promise<void>;
}

/**
 * Builds the workflow over the store. Receipt files follow their records: a purge (abandon, duplicate, registry
 * retention) deletes the receipt, observed on the store client's commits; start-up prunes what was missed.
 */
export function createWorkflow(d: WorkflowDeps): Workflow {
  const locations = new LocationMasterData(d.dataDir);
  const receipts = new ReceiptStore(d.dataDir, d.store.cipher);
  const fingers = d.fingerCapture ? fingerSessionSource(d.fingerCapture, { positions: [...d.fingerConfig.order.single] as FingerPosition[], maxAttempts: d.fingerConfig.maxAttempts }) : null;
  const service = new WorkflowService({
    enrollment: d.store.enrollment,
    auth: d.store.auth,
    audit: d.store.audit,
    idSchema: d.store.idSchema,
    locations,
    receipts,
    kiosk: { signingKey: d.store.kiosk.signingKey, fingerprint: d.store.kiosk.fingerprint },
    face: d.face,
    fingers: d.fingerSource ?? (() => fingers),
    dedup: d.dedup,
    clock: d.clock ?? Date.now,
    memberPolicy: (id) => d.store.householdWorkflow.memberPolicy(id),
    ...(d.receipt ? { receiptOptions: { ...d.receipt.options, timeZone: d.receipt.options.timeZone ?? osTimeZone() }, defaultLocale: d.receipt.defaultLocale } : {}),
  });
  const off = d.store.client.onCommitted((method, params) => {
    if (method === 'enrollment.purge') receipts.remove((params as { id: string }).id);
  });
  const pruneReceipts = async () => {
    let removed = 0;
    for (const id of receipts.ids()) {
      const got = /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id) ? await d.store.client.call('enrollment.get', { id, withBlobs: false }) : null;
      if ((!got || got.row.status === 'purged') && receipts.remove(id)) removed++;
    }
    return removed;
  };
  const pruned = pruneReceipts().catch(() => 0);
  return {
    service,
    locations,
    receipts,
    handlers: createWorkflowHandlers({ workflow: service, auth: d.store.auth, locations }),
    pruneReceipts,
    async dispose() {
      off();
      await pruned;
    },
  };
}
