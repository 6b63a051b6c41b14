// Names of the location codes a form holds (governorate → district → locality), in the current language.
import { useEffect, useState } from 'react';
import type { Locale } from '../../../../main/contract/ipc';
import type { FormField } from '../../../../main/contract/channels/workflow';
import { useBridge } from '../../kiosk-state';

export function useLocationNames(fields: FormField[], values: Record<string, string>, locale: Locale): Record<string, string> {
  const bridge = useBridge();
  const [names, setNames] = useState<Record<string, string>>({});
  const key = fields
    .filter((f) => f.type === 'location')
    .map((f) => `${f.name}=${values[f.name] ?? ''}`)
    .join('&');
  useEffect(() => {
    let live = true;
    void (async () => {
      const out: Record<string, string> = {};
      for (const f of fields) {
        if (f.type !== 'location' || !values[f.name]) continue;
        const parent = f.location!.parentField ? values[f.location!.parentField] : undefined;
        if (f.location!.parentField && !parent) continue;
        const e = await bridge.invoke('kiosk:workflow.locations', { level: f.location!.level, ...(parent ? { parent } : {}) });
        const item = e.ok ? e.value.items.find((i) => i.code === values[f.name]) : undefined;
        if (item) out[f.name] = locale === 'ar' ? item.nameAr : item.nameEn;
      }
      if (live) setNames(out);
    })();
    return () => {
      live = false;
    };
  }, [bridge, key, locale]);
  return names;
}
