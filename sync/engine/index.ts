// Public surface of the kiosk sync engine.
export type { Outbox, OutboxEntry, OutboxState } from './outbox.js';
export { FileOutbox } from './file-outbox.js';
export { RegistryClient, registerKiosk, verifyDownload } from './client.js';
export type { KioskIdentity, Registration } from './identity.js';
export { SyncEngine, type SyncEngineOptions, type PassReport, type SyncEngineEvents } from './sync-engine.js';
export { exportToUsb, importReceiptsFromUsb } from './usb.js';
export { isRegistered, loadRegistration, saveRegistration, syncDir } from './kiosk-state.js';
