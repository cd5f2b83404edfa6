import { shell, type WebContents } from 'electron';
import { isAppUrl } from './appOrigin';
import { isVettedExternalUrl } from './externalUrls';

/** A vetted link goes to the user's browser; anything else is dropped and logged. */
function openOutside(url: string): void {
  if (isVettedExternalUrl(url)) {
    void shell.openExternal(url);
  } else {
    console.warn(`bullpen: refused to open ${JSON.stringify(url.slice(0, 200))} (not a vetted https URL)`);
  }
}

/**
 * Applied to every webContents the app creates (Electron security checklist items 12–15): the page may
 * not navigate away from app://bullpen, open windows, or attach <webview>s. Links to vetted https
 * documentation open in the system browser instead.
 */
export function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    openOutside(event.url);
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: 'deny' };
  });
}
