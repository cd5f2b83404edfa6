import { app, utilityProcess } from 'electron';
import { join } from 'node:path';
import { EngineProcess } from '../api/host/engineProcess';
import { utilityProcessSpawner } from '../api/host/spawn';

/**
 * The workspace the desktop opens: --workspace PATH, then BULLPEN_WORKSPACE, then
 * <appData>/Bullpen/workspace.duckdb — the same default as the CLI and serve, so all three share it.
 */
export function desktopWorkspacePath(argv: readonly string[], env: NodeJS.ProcessEnv): string {
  const flagIndex = argv.indexOf('--workspace');
  const fromFlag = flagIndex >= 0 ? argv[flagIndex + 1] : argv.find((a) => a.startsWith('--workspace='))?.slice('--workspace='.length);
  if (fromFlag) return fromFlag;
  if (env.BULLPEN_WORKSPACE) return env.BULLPEN_WORKSPACE;
  return join(app.getPath('appData'), 'Bullpen', 'workspace.duckdb');
}

/**
 * Starts the engine in an Electron utility process (a crash in native code takes down only that
 * process; the supervisor restarts it and emits an `engine` event the window shows).
 */
export function startDesktopEngine(workspacePath: string): Promise<EngineProcess> {
  return EngineProcess.start({
    workspacePath,
    entry: join(__dirname, 'engineHost.js'),
    spawn: utilityProcessSpawner((modulePath, args, options) => utilityProcess.fork(modulePath, args, options)),
  });
}
