import { app, BrowserWindow, dialog, Menu, Notification, session, Tray } from 'electron';
import { join } from 'node:path';
import type { EngineProcess } from '../api/host/engineProcess';
import { registerAppScheme, serveRenderer } from './appProtocol';
import { desktopWorkspacePath, startDesktopEngine } from './engineLauncher';
import { installIpcBridge } from './ipcBridge';
import { createMainWindow } from './mainWindow';
import { hardenContents } from './security/hardenContents';
import { hardenSession } from './security/hardenSession';

// The desktop shell: serves the built UI from app://bullpen, runs the engine in a utility process,
// and bridges the two over two IPC channels. Security follows Electron's checklist; see security/.

// Every renderer sandboxed, including any a future change creates without saying so.
app.enableSandbox();
registerAppScheme();
app.on('web-contents-created', (_event, contents) => hardenContents(contents));

let engine: EngineProcess | null = null;
let mainWindow: BrowserWindow | null = null;
let tray: Tray | null = null;

function showWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) {
    mainWindow = createMainWindow();
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
}

async function start(): Promise<void> {
  hardenSession(session.defaultSession);
  serveRenderer(join(__dirname, '..', 'renderer'));
  const workspacePath = desktopWorkspacePath(process.argv, process.env);
  try {
    engine = await startDesktopEngine(workspacePath);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    dialog.showErrorBox(
      'Bullpen cannot open its workspace',
      `${message}\n\nWorkspace: ${workspacePath}\nStart Bullpen with --workspace PATH (or BULLPEN_WORKSPACE) to use another file.`,
    );
    app.exit(1);
    return;
  }
  engine.onEvent((event) => {
    if (event.type === 'engine' && event.status !== 'ready') console.warn(`bullpen: engine ${event.status}: ${event.message}`);
    // Monitoring alerts: the engine formats the notice (it has no notification API), the shell shows it.
    if (event.type === 'notification' && Notification.isSupported()) {
      const notice = new Notification({ title: event.title, body: event.body, urgency: event.urgency });
      notice.on('click', () => showWindow());
      notice.show();
    }
  });
  installIpcBridge(engine);
  showWindow();
}

/** The setting `operations.checksInTray`; false when the engine cannot answer (closing then quits, as by default). */
async function checksInTray(): Promise<boolean> {
  if (!engine) return false;
  const answer = await engine.call('settings.get', {}).catch(() => null);
  if (!answer?.ok) return false;
  const settings = answer.output as { operations?: { checksInTray?: boolean } };
  return settings.operations?.checksInTray === true;
}

function showTray(): void {
  if (tray) return;
  tray = new Tray(app.isPackaged ? join(process.resourcesPath, 'icon.png') : join(__dirname, '..', '..', 'resources', 'icon.png'));
  tray.setToolTip('Bullpen: monitoring checks keep running');
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Open Bullpen', click: () => showWindow() },
      { label: 'Quit', click: () => app.quit() },
    ]),
  );
  tray.on('click', () => showWindow());
}

// One instance per user: the workspace is a single DuckDB file that one engine opens at a time.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => showWindow());
  app.on('activate', () => {
    if (engine && BrowserWindow.getAllWindows().length === 0) showWindow();
  });
  app.on('window-all-closed', () => {
    // Scheduled checks run in the engine: keep it (and a tray icon to come back) only if the user chose that.
    void checksInTray().then((keep) => {
      if (keep) showTray();
      else if (process.platform !== 'darwin') app.quit();
    });
  });

  let stopped = false;
  app.on('before-quit', (event) => {
    if (stopped || !engine) return;
    // Let the engine close the workspace cleanly (running jobs end `interrupted`) before exiting.
    event.preventDefault();
    const stopping = engine;
    engine = null;
    void stopping.stop().finally(() => {
      stopped = true;
      app.quit();
    });
  });

  app.whenReady().then(start, (err: unknown) => {
    console.error('bullpen: Electron failed to start', err);
    app.exit(1);
  });
}
