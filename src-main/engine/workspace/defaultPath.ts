import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where a workspace lives when the user names none: --workspace, then BULLPEN_WORKSPACE, then the
 * OS user-data folder (the same folder Electron's app.getPath('userData') uses for "Bullpen").
 */
export function defaultWorkspacePath(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.BULLPEN_WORKSPACE) return env.BULLPEN_WORKSPACE;
  const home = homedir();
  const base =
    platform === 'win32'
      ? (env.APPDATA ?? join(home, 'AppData', 'Roaming'))
      : platform === 'darwin'
        ? join(home, 'Library', 'Application Support')
        : (env.XDG_CONFIG_HOME ?? join(home, '.config'));
  return join(base, 'Bullpen', 'workspace.duckdb');
}
