/** The catalog's feature sets as options; while the catalog is loading, the current choice alone. */
export function featureSetOptions(sets: string[], current: string): { value: string; label: string }[] {
  return (sets.length ? sets : [current]).map((s) => ({ value: s, label: s }));
}
