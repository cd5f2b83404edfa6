/** How team names are compared: case, dots and repeated spaces never decide a match. */
export function normalizeTeamAlias(name: string): string {
  return name.toLowerCase().replace(/\./g, '').replace(/\s+/g, ' ').trim();
}
