import { describe, expect, it } from 'vitest';
import { TOKEN_STORAGE_KEY, takeToken } from '../../src-renderer/src/lib/session';

/** The browser objects takeToken touches, as plain data (the e2e tests run it in real Chromium). */
function browserLike(hash: string, stored: string | null = null) {
  const storage = new Map<string, string>(stored ? [[TOKEN_STORAGE_KEY, stored]] : []);
  const urls: string[] = [];
  return {
    urls,
    storage,
    sources: {
      location: { hash, pathname: '/', search: '?x=1' },
      history: { state: null, replaceState: (_s: unknown, _t: string, url?: string | URL | null) => void urls.push(String(url)) },
      storage: { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v) },
    },
  };
}

describe('serve-mode token handling', () => {
  it('takes the token from the fragment, keeps it for this tab and removes it from the address', () => {
    const b = browserLike('#token=abc123');
    expect(takeToken(b.sources)).toBe('abc123');
    expect(b.storage.get(TOKEN_STORAGE_KEY)).toBe('abc123');
    expect(b.urls).toEqual(['/?x=1']);
  });

  it('keeps other fragment parameters while removing the token', () => {
    const b = browserLike('#token=abc&screen=data');
    expect(takeToken(b.sources)).toBe('abc');
    expect(b.urls).toEqual(['/?x=1#screen=data']);
  });

  it('falls back to the token kept from an earlier load, and to nothing', () => {
    const kept = browserLike('#/workspace', 'stored');
    expect(takeToken(kept.sources)).toBe('stored');
    expect(kept.urls).toEqual([]);
    expect(takeToken(browserLike('').sources)).toBeNull();
  });
});
