// The diagnostics checks in the reader's language: a name per check id and a detail rebuilt from the report's own
// numbers (main's detail is an English sentence for logs and the CLI). Checks this table does not know keep main's
// sentence, with its ISO timestamps written as local date and time.
import type { TFunction } from 'i18next';
import type { Locale } from '../../../main/contract/ipc';
import type { DiagnosticsReportView } from '../../../main/contract/channels/diagnostics';
import { formatDateTime, formatNumber } from '../format';

const MB = 1024 * 1024;
const ISO = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})\b/gu;

export function checkName(id: string, t: TFunction, exists: (k: string) => boolean): string {
  const key = `clerk.checks.names.${id.replace(/[.-]/g, '_')}`;
  if (exists(key)) return t(key);
  // Families of checks named after a module or a device: the kind translated, the name kept.
  const family = /^(native|device)\.(.+)$/.exec(id);
  if (family) return t(`clerk.checks.families.${family[1]}`, { name: family[2] });
  return id;
}

/** The detail and whether it is translated (false: main's English sentence, shown with lang="en"). */
export function checkDetail(check: DiagnosticsReportView['checks'][number], report: DiagnosticsReportView, t: TFunction, locale: Locale): { text: string; translated: boolean } {
  const n = (v: number) => formatNumber(v, locale);
  const a = report.store.audit;
  switch (check.id) {
    case 'store.integrity':
      return { text: t(check.status === 'ok' ? 'clerk.checks.integrityOk' : 'clerk.checks.integrityFailed'), translated: true };
    case 'store.audit':
      if (a) return { text: a.firstBroken ? t('clerk.checks.auditBroken', { seq: n(a.firstBroken.seq) }) : t('clerk.checks.auditOk', { entries: n(a.entries), checkpoints: n(a.checkpoints) }), translated: true };
      break;
    case 'store.key-mode':
      if (report.keyMode) return { text: t(report.keyMode.weak ? 'clerk.checks.keyWeak' : 'clerk.checks.keyOk', { mode: report.keyMode.mode }), translated: true };
      break;
    case 'disk':
      return { text: t('clerk.checks.disk', { free: n(Math.floor(report.disk.freeBytes / MB)), total: n(Math.floor(report.disk.totalBytes / MB)) }), translated: true };
    case 'sync':
      return {
        text: t('clerk.checks.sync', { backlog: n(report.sync.backlog), last: report.sync.lastSuccessAt ? formatDateTime(report.sync.lastSuccessAt, locale) : t('diagnostics.never') }),
        translated: true,
      };
    case 'store':
      return { text: t('clerk.checks.noStore'), translated: true };
  }
  return { text: check.detail.replace(ISO, (iso) => formatDateTime(iso, locale)), translated: false };
}
