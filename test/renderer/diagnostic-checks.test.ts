// Issue 17 item 11: diagnostics checks in the reader's language — names per check id, details rebuilt from the
// report's numbers, and main's English sentences (for checks without a translation) with local dates, not ISO.
import { describe, expect, it } from 'vitest';
import type { DiagnosticsReportView } from '../../main/contract/channels/diagnostics';
import { createI18n } from '../../renderer/src/i18n';
import { checkDetail, checkName } from '../../renderer/src/screens/diagnostic-checks';

const report = {
  checks: [],
  disk: { freeBytes: 2048 * 1024 * 1024, totalBytes: 4096 * 1024 * 1024, level: 'ok', warnBelowBytes: 0, blockBelowBytes: 0 },
  store: { initialised: true, integrity: 'ok', audit: { ok: true, entries: 58, checkpoints: 0, firstBroken: null }, userVersion: 4, sizeBytes: 1, counts: null },
  keyMode: { mode: 'key-file', weak: true },
  sync: { state: 'idle', backlog: 0, lastSuccessAt: '2026-12-04T17:07:00.000Z' },
} as unknown as DiagnosticsReportView;

describe('diagnostics checks in Arabic', () => {
  const ar = createI18n('ar');
  const exists = (k: string) => ar.exists(k);
  it('names checks in Arabic and builds details from the numbers', () => {
    expect(checkName('store.audit', ar.t, exists)).toBe('سجل التدقيق');
    expect(checkName('native.sharp', ar.t, exists)).toBe('الوحدة الأصلية sharp');
    const audit = checkDetail({ id: 'store.audit', status: 'ok', detail: 'audit chain verified: 58 entries, 0 signed checkpoints' }, report, ar.t, 'ar');
    expect(audit).toEqual({ text: 'سلسلة التدقيق سليمة: ٥٨ قيدًا و٠ نقطة تحقق موقّعة', translated: true });
    const sync = checkDetail({ id: 'sync', status: 'ok', detail: 'state idle, backlog 0, last success 2026-12-04T17:07:00.000Z' }, report, ar.t, 'ar');
    expect(sync.text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(sync.text).toContain('٢٠٢٦');
  });
  it('keeps an untranslated detail but writes its ISO timestamps as local date and time', () => {
    const other = checkDetail({ id: 'update', status: 'ok', detail: 'last check 2026-12-04T17:07:00.000Z' }, report, ar.t, 'ar');
    expect(other.translated).toBe(false);
    expect(other.text).not.toContain('T17:07');
  });
});
