import { app, BrowserWindow } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { APP_ENTRY_URL } from './security/appOrigin';
import { secureWebPreferences } from './security/webPreferences';

const WINDOW_SIZE = { width: 1280, height: 840, minWidth: 900, minHeight: 600 };
/** Matches the renderer's background, so the window does not flash white before the first paint. */
const BACKGROUND = '#f5f6f8';

/** Packaged: beside app.asar (builder.yml extraResources); from a checkout: resources/ at the top level. */
function windowIcon(): string | undefined {
  const path = app.isPackaged ? join(process.resourcesPath, 'icon.png') : join(__dirname, '..', '..', 'resources', 'icon.png');
  return existsSync(path) ? path : undefined;
}

/** The one app window: hardened preferences, our app:// origin, shown once it has painted. */
export function createMainWindow(): BrowserWindow {
  const win = new BrowserWindow({
    ...WINDOW_SIZE,
    show: false,
    title: 'Bullpen',
    icon: windowIcon(),
    backgroundColor: BACKGROUND,
    webPreferences: secureWebPreferences(join(__dirname, '..', 'preload', 'preload.js')),
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_ENTRY_URL);
  return win;
}
