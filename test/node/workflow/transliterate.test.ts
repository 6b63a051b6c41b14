// Arabic → Latin transliteration of names (Egyptian registry conventions).
import { describe, expect, it } from 'vitest';
import { transliterateArabicName as t } from '../../../main/workflow/transliterate.js';

const LATIN = /^[A-Za-z\u00C0-\u024F\s'.-]+$/u;

describe('transliterateArabicName', () => {
  it('common names take the registry spelling', () => {
    expect(t('محمد أحمد محمود')).toBe('Mohamed Ahmed Mahmoud');
    expect(t('فاطمة الزهراء')).toBe('Fatma El-Zahra');
    expect(t('يوسف')).toBe('Youssef');
    expect(t('مصطفى السيد')).toBe('Mostafa El-Sayed');
  });
  it('عبد + a divine name is one Latin word, written together or apart', () => {
    expect(t('عبد الرحمن')).toBe('Abdelrahman');
    expect(t('عبدالرحمن')).toBe('Abdelrahman');
    expect(t('عبد العزيز')).toBe('Abdelaziz');
  });
  it('letter rules: ج → g, long vowels, ta marbuta, the article with sun letters', () => {
    expect(t('جمال')).toBe('Gamal');
    expect(t('منصور')).toBe('Mansour');
    expect(t('سامر')).toBe('Samer');
    expect(t('الصاوي')).toBe('El-Sawy');
    expect(t('الشربيني')).toBe('El-Sharbiny');
    expect(t('حلاوة')).toBe('Halawa');
  });
  it('uses diacritics when present and doubles on shadda', () => {
    expect(t('شَرِيف')).toBe('Sherif');
    expect(t('مُنَّة')).toBe('Monna');
  });
  it('ignores tatweel, bidi marks and extra spaces; empty in, empty out', () => {
    expect(t('  محـــمد \u200f ')).toBe('Mohamed');
    expect(t('')).toBe('');
  });
  it('always yields text the Latin name fields accept', () => {
    for (const name of ['عبد الله', 'إيمان', 'أشرف', 'وائل', 'القاضي', 'رؤوف', 'هبة الله', 'ضياء', 'ظريف', 'غادة', 'ثروت', 'ذكي', 'ئ']) {
      const out = t(name);
      if (out) expect(out).toMatch(LATIN);
    }
  });
});
