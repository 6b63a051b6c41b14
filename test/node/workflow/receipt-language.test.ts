// Issue 17 item 12: the receipt PDF is in the chosen language throughout, its times are the kiosk's local time (the
// configured zone), and it says what happens next and whom to ask (config `receipt`, validated). Rendered to PNG with
// pdftoppm into test-artifacts/receipt/ to look at.
import { generateKeyPairSync } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../main/config/load-config.js';
import { rtlSegments } from '../../../main/receipt/arabic-text.js';
import { renderReceiptPdf, ridQrPng, signReceipt } from '../../../main/receipt/receipt.js';
import { receiptDateTime, type ReceiptOptions } from '../../../main/receipt/receipt-text.js';
import { fixturePath, hasFixture, projectRoot } from '../../helpers/fixtures.js';

const haveTools = spawnSync('pdftotext', ['-v']).status === 0 && spawnSync('pdftoppm', ['-v']).status === 0;
if (!haveTools) console.warn('receipt-language: pdftotext/pdftoppm missing (apt-get install poppler-utils): PDF text checks skipped');
const out = path.join(projectRoot, 'test-artifacts', 'receipt');
const options: ReceiptOptions = { timeZone: 'Africa/Cairo', centreName: { ar: 'مركز مدينة نصر', en: 'Nasr City centre' }, contactPhone: '+20 2 1234 5678', contact: null, nextSteps: null };
const data = { rid: 'C-DEMO.K-DEMO-01.20261204.000002.40', nameAr: 'محمد منصور', nameLatin: 'Mohamed Mansour', enrolledAt: '2026-11-23T08:05:00.000Z', approvedAt: '2026-11-23T08:21:00.000Z', centreId: 'C-DEMO', kioskId: 'K-DEMO-01', photoSha256: null };

async function render(language: 'ar' | 'en'): Promise<string> {
  const { privateKey } = generateKeyPairSync('ed25519');
  const photo = hasFixture('faces', 'lacamoire_2.jpg') ? new Uint8Array(readFileSync(fixturePath('faces', 'lacamoire_2.jpg'))) : null;
  const { pdf } = await renderReceiptPdf({ receipt: signReceipt(data, privateKey, 'ab12cd34ef56'), photoJpeg: photo, qrPng: await ridQrPng(data.rid), language, options });
  mkdirSync(out, { recursive: true });
  const file = path.join(out, `receipt-${language}.pdf`);
  writeFileSync(file, pdf);
  return file;
}

describe('receipt PDF language, time and next steps', () => {
  it('writes times in the kiosk zone, in the language\'s digits', () => {
    expect(receiptDateTime(data.approvedAt, 'en', 'Africa/Cairo')).toBe('23 November 2026 at 10:21');
    expect(receiptDateTime(data.approvedAt, 'ar', 'Africa/Cairo')).toContain('١٠:٢١');
    expect(receiptDateTime(data.approvedAt, 'ar', 'Africa/Cairo')).not.toMatch(/[\u200e\u200f]/u);
  });

  it('keeps numbers left to right inside an Arabic line', () => {
    expect(rtlSegments('في ١٠:٢١ م')).toEqual([
      { text: 'في ', number: false },
      { text: '١٠:٢١', number: true },
      { text: ' م', number: false },
    ]);
  });

  it.skipIf(!haveTools)('English: English words only, local time, next steps and contact', async () => {
    const file = await render('en');
    const text = spawnSync('pdftotext', ['-layout', file, '-']).stdout.toString();
    for (const words of ['Enrollment receipt', 'Registration ID', 'Approved', 'What happens next', 'Questions', '+20 2 1234 5678', 'Nasr City centre', '10:21', 'Africa/Cairo']) expect(text).toContain(words);
    expect(text).not.toContain('UTC');
    expect(spawnSync('pdftoppm', ['-r', '110', '-png', '-singlefile', file, file.replace(/\.pdf$/, '')]).status).toBe(0);
  });

  it.skipIf(!haveTools)('Arabic: no English label anywhere', async () => {
    const file = await render('ar');
    const text = spawnSync('pdftotext', ['-layout', file, '-']).stdout.toString();
    for (const english of ['Enrollment', 'Registration', 'Approved', 'Enrolled', 'Centre', 'Kiosk', 'Signed', 'What happens', 'Questions', 'UTC']) expect(text).not.toContain(english);
    expect(text).toContain(data.rid); // a long RID is set smaller, never cut off
    expect(text).toContain('+20 2 1234 5678');
    expect(spawnSync('pdftoppm', ['-r', '110', '-png', '-singlefile', file, file.replace(/\.pdf$/, '')]).status).toBe(0);
  });
});

describe('config `receipt`', () => {
  it('validates the time zone and the texts, naming the key', () => {
    expect(parseConfig({ receipt: { timeZone: 'Africa/Cairo', contactPhone: '+20 2 1234 5678' } }, 't').receipt.timeZone).toBe('Africa/Cairo');
    expect(() => parseConfig({ receipt: { timeZone: 'Mars/Olympus' } }, 't')).toThrow(/receipt\.timeZone/);
    expect(() => parseConfig({ receipt: { contact: { ar: 'x' } } }, 't')).toThrow(/receipt\.contact/);
    expect(parseConfig({}, 't').receipt.timeZone).toBeNull();
  });
});
