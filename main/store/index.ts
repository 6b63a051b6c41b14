// Public surface of the enrollment store.
export { StoreClient, type StoreClientOptions } from './client.js';
export * from './errors.js';
export { AuditService, verifyAudit, type AuditVerifyReport } from './audit-service.js';
export { PassphraseProtector, KeyFileProtector, ElectronSafeStorageProtector, PASSPHRASE_SCRYPT, type KeyProtector, type KeyMode, type KeyModeReport, type SafeStorageLike } from './crypto/protectors.js';
export { eraseKeyring, keyringExists, readKeyring, keyringPath } from './crypto/keyring.js';
export { readStoreSettings, STORE_SETTINGS_FILE, type StoreSettings } from './settings.js';
export { DB_FILE, openStoreServices, readStoreStatus, type StoreServices, type OpenStoreServicesOptions, type StoreStatusReport } from '../enrollment/services.js';
export { selectProtector, KEK_FILE, PASSPHRASE_ENV } from './protector-select.js';
