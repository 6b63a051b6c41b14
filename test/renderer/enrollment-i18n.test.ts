// Every message key the workflow in main may return, and every label of the demographics form, exists in Arabic and
// English (a missing key would show the raw key to the clerk).
import { describe, expect, it } from 'vitest';
import { WORKFLOW_MESSAGE_KEYS, WORKFLOW_STEPS } from '../../main/contract/channels/workflow';
import { DEFAULT_ID_SCHEMA } from '../../main/enrollment/id-schema';
import { createI18n } from '../../renderer/src/i18n';

describe('enrollment messages', () => {
  for (const locale of ['ar', 'en'] as const) {
    const i18n = createI18n(locale);
    it(`defines every workflow message key in ${locale}`, () => {
      const missing = WORKFLOW_MESSAGE_KEYS.filter((k) => !i18n.exists(k, { lng: locale, fallbackLng: false } as never));
      expect(missing).toEqual([]);
    });
    it(`labels every ID-schema field, step and record status in ${locale}`, () => {
      const keys = [
        ...DEFAULT_ID_SCHEMA.fields.map((f) => `workflow.form.${f.name}`),
        ...WORKFLOW_STEPS.map((s) => `enrollment.steps.${s}`),
        ...['draft', 'captured', 'pending_approval', 'approved', 'rejected', 'sealed', 'uploaded', 'acknowledged', 'purged'].map((s) => `enrollment.status.${s}`),
        ...Array.from({ length: 10 }, (_, i) => `enrollment.fingerNames.${i + 1}`),
      ];
      expect(keys.filter((k) => !i18n.exists(k, { lng: locale, fallbackLng: false } as never))).toEqual([]);
    });
  }

  it('translates interpolated codes: sex, dates and finger positions', () => {
    const ar = createI18n('ar');
    expect(ar.t('workflow.nn.mismatchSex', { fromNumber: ar.t('enrollment.sex.F'), fromForm: ar.t('enrollment.sex.M') })).toBe('الرقم القومي يدل على أنثى لكن النموذج يقول ذكر');
    const en = createI18n('en');
    expect(en.t('workflow.date.future')).toBe('The date of birth cannot be in the future');
  });
});
