// The one definition of "waiting for upload", shared by the home screen's tile and the sync status (issue 17: the
// two used to count different statuses and disagreed). An approved record is waiting for the registry until the
// registry acknowledges it: approved (not sealed yet: no registry key), sealed (not sent), uploaded (sent, not
// acknowledged). Acknowledged, rejected and purged records are done.
import type { EnrollmentStatus } from './lifecycle.js';

export const AWAITING_UPLOAD_STATUSES = ['approved', 'sealed', 'uploaded'] as const satisfies readonly EnrollmentStatus[];

export function awaitingUploadCount(byStatus: Record<EnrollmentStatus, number>): number {
  return AWAITING_UPLOAD_STATUSES.reduce((n, s) => n + (byStatus[s] ?? 0), 0);
}
