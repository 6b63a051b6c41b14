// The kiosk core's background sync service (one factory; see sync-service.ts and docs/REGISTRY.md "Demo mode").
export { createSyncService, type SyncService, type SyncServiceOptions } from './sync-service.js';
