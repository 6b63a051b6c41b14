// Every provisioning error main can send has its explanation in Arabic and English (the wizard shows the message key
// of each typed error), as do the checklist items and statuses; interpolated details reach the text.
import { describe, expect, it } from 'vitest';
import { CHECKLIST_ITEM_IDS } from '../../main/contract/channels/provisioning';
import { PROVISIONING_ERROR_CODES, messageKeyOf } from '../../main/provisioning/errors';
import { createI18n } from '../../renderer/src/i18n';

describe('provisioning messages', () => {
  for (const locale of ['ar', 'en'] as const) {
    const i18n = createI18n(locale);
    const has = (k: string) => i18n.exists(k, { lng: locale, fallbackLng: false } as never);
    it(`explains every provisioning error code in ${locale}`, () => {
      expect(PROVISIONING_ERROR_CODES.map(messageKeyOf).filter((k) => !has(k))).toEqual([]);
    });
    it(`names every checklist item and status in ${locale}`, () => {
      const keys = [...CHECKLIST_ITEM_IDS.map((i) => `provisioning.items.${i}`), ...['pending', 'ok', 'failed', 'waived'].map((s) => `provisioning.status.${s}`), ...['set', 'temporary', 'unset'].map((s) => `operators.pinState.${s}`)];
      expect(keys.filter((k) => !has(k))).toEqual([]);
    });
  }

  it('puts the error details into the explanation', () => {
    const en = createI18n('en');
    expect(en.t('provisioning.errors.PROVISION_CLOCK_SKEW', { offSeconds: 7200 })).toContain('7200 s off');
    expect(en.t('provisioning.errors.PROVISION_REGISTRY_KEY_MISMATCH', { actual: 'aa', expected: 'bb' })).toContain('(aa) is not the one on the work order (bb)');
    const ar = createI18n('ar');
    expect(ar.t('provisioning.errors.PROVISION_DEVICE_TEST_FAILED', { device: 'scanner-1', reason: 'DEVICE_NOT_FOUND' })).toContain('scanner-1');
  });
});
