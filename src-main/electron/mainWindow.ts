import { BrowserWindow } from 'electron';
import { join } from 'node:path';
import { APP_ENTRY_URL } from './security/appOrigin';
import { secureWebPreferences } from './security/webPreferences';

const WINDOW_SIZE = { width: 1280, height: 840, minWidth: 900, minHeight: 600 };
/** Matches the renderer's background, so the window does not flash white before the first paint. */
const BACKGROUND = '#f5f6f8';

/** The one app window: hardened preferences, our app:// origin, shown once it has painted. */
export function createMainWindow(): BrowserWindow {
  const win = new BrowserWindow({
    ...WINDOW_SIZE,
    show: false,
    title: 'Bullpen',
    backgroundColor: BACKGROUND,
    webPreferences: secureWebPreferences(join(__dirname, '..', 'preload', 'preload.js')),
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_ENTRY_URL);
  return win;
}
