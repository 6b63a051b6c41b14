// An area's message catalog: English defines the keys, Arabic must provide the same ones (the type checks it).
// Each area's messages are merged under its own top-level key, so areas never edit each other's catalogs.
type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

export interface AreaCatalog<E> {
  en: E;
  ar: Widen<E>;
}

export function defineArea<const E>(catalog: { en: E; ar: Widen<E> }): AreaCatalog<E> {
  return catalog;
}
