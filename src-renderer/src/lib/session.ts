/** Where the serve-mode token lives after it leaves the URL: this tab only, gone when the tab closes. */
export const TOKEN_STORAGE_KEY = 'bullpen.token';

export interface TokenSources {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  history: Pick<History, 'replaceState' | 'state'>;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
}

/**
 * Takes the per-launch token from `#token=…` (the URL `bullpen serve` prints), removes it from the
 * address bar so it is not bookmarked, shared in a screenshot or kept in history, and keeps it in
 * sessionStorage so a reload still works. Falls back to the stored token when the URL has none.
 */
export function takeToken({ location, history, storage }: TokenSources): string | null {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const fromUrl = params.get('token');
  if (fromUrl) {
    storage.setItem(TOKEN_STORAGE_KEY, fromUrl);
    params.delete('token');
    const rest = params.toString();
    history.replaceState(history.state, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
    return fromUrl;
  }
  return storage.getItem(TOKEN_STORAGE_KEY);
}
