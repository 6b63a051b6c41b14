// Every area catalog, keyed by its top-level message key (t('<area>.…')). Add one line per area.
import type { AreaCatalog } from './define';

export const areaCatalogs: Record<string, AreaCatalog<unknown>> = {};
