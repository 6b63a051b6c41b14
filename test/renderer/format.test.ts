import { describe, expect, it } from 'vitest';
import { formatNumber, normalizeDigits } from '../../renderer/src/format';

describe('digits and numbers', () => {
  it('normalises Arabic-Indic and Eastern Arabic-Indic digits', () => {
    expect(normalizeDigits('٠١٢٣٤٥٦٧٨٩')).toBe('0123456789');
    expect(normalizeDigits('۰۱۲۳۴۵۶۷۸۹')).toBe('0123456789');
    expect(normalizeDigits('PIN ١٢٣4')).toBe('PIN 1234');
    expect(normalizeDigits('محمد')).toBe('محمد');
  });

  it('formats numbers per locale', () => {
    expect(formatNumber(1234, 'en')).toBe('1,234');
    expect(formatNumber(1234, 'ar')).toBe('١٬٢٣٤');
  });
});
