// HandDiagram: ten positions, per-finger state, keyboard and touch operation, layout that is never mirrored in RTL.
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState, type ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HandDiagram, VISUAL_ORDER, type HandFinger } from '../../renderer/src/components/HandDiagram';
import { createI18n } from '../../renderer/src/i18n';

afterEach(cleanup);

function fingers(): HandFinger[] {
  return Array.from({ length: 10 }, (_, i) => ({ position: i + 1, state: 'pending' as const, quality: null, accepted: false }));
}

function wrap(node: ReactNode, locale: 'ar' | 'en') {
  return render(<I18nextProvider i18n={createI18n(locale)}>{node}</I18nextProvider>);
}

function Controlled({ locale, initial = null }: { locale: 'ar' | 'en'; initial?: number | null }) {
  const [selected, setSelected] = useState<number | null>(initial);
  return <HandDiagram fingers={fingers()} selected={selected} onSelect={setSelected} locale={locale} />;
}

const domOrder = () => screen.getAllByRole('button').map((b) => Number(b.getAttribute('data-testid')!.replace('finger-', '')));

describe('HandDiagram', () => {
  it('shows ten positions with ISO numbering, names and states (Arabic, Arabic-Indic digits)', () => {
    const f = fingers();
    f[1] = { position: 2, state: 'captured', quality: 78, accepted: true };
    f[2] = { position: 3, state: 'captured', quality: 22, accepted: false };
    f[5] = { position: 6, state: 'excepted', quality: null, accepted: false };
    wrap(<HandDiagram fingers={f} selected={null} onSelect={() => undefined} locale="ar" />, 'ar');
    expect(screen.getAllByRole('button')).toHaveLength(10);
    const index = screen.getByTestId('finger-2');
    expect(index.getAttribute('aria-label')).toBe('سبابة اليد اليمنى: ملتقطة، الجودة ٧٨');
    expect(index.getAttribute('data-state')).toBe('captured');
    expect(index.textContent).toContain('٢');
    const meter = index.querySelector('[role="meter"]')!;
    expect(meter.getAttribute('aria-valuenow')).toBe('78');
    expect(screen.getByTestId('finger-3').className).toContain('hand-finger-low');
    expect(screen.getByTestId('finger-6').getAttribute('data-state')).toBe('excepted');
    expect(screen.getByTestId('finger-6').getAttribute('aria-label')).toBe('إبهام اليد اليسرى: استثناء');
    expect(screen.getByTestId('finger-1').getAttribute('aria-label')).toBe('إبهام اليد اليمنى: لم تُلتقط');
    expect(screen.getByRole('group', { name: 'اليد اليمنى' })).toBeTruthy();
  });

  it('keeps the physical layout (left hand on the left) in both Arabic and English', () => {
    wrap(<Controlled locale="ar" />, 'ar');
    expect(screen.getByTestId('hand-diagram').getAttribute('dir')).toBe('ltr');
    expect(domOrder()).toEqual([...VISUAL_ORDER]);
    cleanup();
    wrap(<Controlled locale="en" />, 'en');
    expect(domOrder()).toEqual([...VISUAL_ORDER]);
    expect(screen.getByTestId('finger-7').getAttribute('aria-label')).toBe('Left index finger: Not captured');
  });

  it('one tab stop; arrows move visually, Home/End follow the reading direction (RTL: Home = right little finger)', () => {
    wrap(<Controlled locale="ar" />, 'ar');
    const tabbable = () => screen.getAllByRole('button').filter((b) => b.tabIndex === 0).map((b) => b.getAttribute('data-testid'));
    // Reading order in Arabic starts on the right: the right little finger.
    expect(tabbable()).toEqual(['finger-5']);
    const five = screen.getByTestId('finger-5');
    five.focus();
    fireEvent.keyDown(five, { key: 'ArrowLeft' });
    expect(document.activeElement).toBe(screen.getByTestId('finger-4'));
    expect(screen.getByTestId('finger-4').getAttribute('aria-pressed')).toBe('true');
    expect(tabbable()).toEqual(['finger-4']);
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(five);
    fireEvent.keyDown(five, { key: 'End' });
    expect(document.activeElement).toBe(screen.getByTestId('finger-10'));
    fireEvent.keyDown(document.activeElement!, { key: 'Home' });
    expect(document.activeElement).toBe(five);
    // From the left thumb the right arrow crosses to the right thumb.
    fireEvent.click(screen.getByTestId('finger-6'));
    fireEvent.keyDown(screen.getByTestId('finger-6'), { key: 'ArrowRight' });
    expect(document.activeElement).toBe(screen.getByTestId('finger-1'));
  });

  it('English: Home is the left little finger; click and tap select', () => {
    const onSelect = vi.fn();
    wrap(<HandDiagram fingers={fingers()} selected={null} onSelect={onSelect} locale="en" />, 'en');
    expect(screen.getAllByRole('button').filter((b) => b.tabIndex === 0).map((b) => b.getAttribute('data-testid'))).toEqual(['finger-10']);
    fireEvent.keyDown(screen.getByTestId('finger-10'), { key: 'End' });
    expect(onSelect).toHaveBeenLastCalledWith(5);
    fireEvent.click(screen.getByTestId('finger-8'));
    expect(onSelect).toHaveBeenLastCalledWith(8);
    fireEvent.pointerDown(screen.getByTestId('finger-9'), { pointerType: 'touch' });
    fireEvent.click(screen.getByTestId('finger-9'));
    expect(onSelect).toHaveBeenLastCalledWith(9);
  });

  it('disabled while a capture runs', () => {
    const onSelect = vi.fn();
    wrap(<HandDiagram fingers={fingers()} selected={2} onSelect={onSelect} locale="en" disabled />, 'en');
    expect(screen.getAllByRole('button').every((b) => (b as HTMLButtonElement).disabled)).toBe(true);
  });
});
