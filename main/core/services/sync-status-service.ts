// The sync state shown in the status bar; the sync engine updates it.
import type { SyncStatus } from '../../contract/ipc.js';

export class SyncStatusService {
  private status: SyncStatus;
  private readonly listeners = new Set<(s: SyncStatus) => void>();

  constructor(registered: boolean) {
    this.status = { online: false, state: registered ? 'offline' : 'not_registered', backlog: 0, lastSuccessAt: null };
  }

  get(): SyncStatus {
    return { ...this.status };
  }

  update(patch: Partial<SyncStatus>): void {
    this.status = { ...this.status, ...patch };
    for (const l of [...this.listeners]) l(this.get());
  }

  onChange(listener: (s: SyncStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
