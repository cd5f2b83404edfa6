import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const root = resolve(__dirname, '..', '..', '..');
/** `bullpen serve` prints this once it listens; the fragment carries the per-launch token. */
const URL_PATTERN = /(http:\/\/127\.0\.0\.1:(\d+))\/#token=([A-Za-z0-9_\-.~%]+)/;
/** A cold start builds nothing (npm test builds first) but opens DuckDB and a worker pool. */
const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;

export interface ServeHandle {
  /** The full URL as printed, token fragment included: what a user pastes into the browser. */
  url: string;
  origin: string;
  token: string;
  workspacePath: string;
  child: ChildProcess;
  /** Everything the server wrote to stderr so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

/**
 * Starts `node bin/bullpen.js serve --port 0 --workspace <path>` as a real subprocess and resolves
 * with the URL it prints. Rejects with the server's own output if it exits or stays silent.
 * The first-start demo build is off (BULLPEN_AUTO_DEMO=0) so screens open on an empty workspace at
 * once; a test of the first start passes `{ BULLPEN_AUTO_DEMO: '2018-2019' }` in `extraEnv`.
 */
export function startServe(workspacePath: string, extraArgs: string[] = [], extraEnv: Record<string, string> = {}): Promise<ServeHandle> {
  const child = spawn(
    process.execPath,
    [resolve(root, 'bin', 'bullpen.js'), 'serve', '--port', '0', '--workspace', workspacePath, ...extraArgs],
    {
      cwd: root,
      env: { ...process.env, BULLPEN_WORKSPACE: '', NO_COLOR: '1', BULLPEN_AUTO_DEMO: '0', ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };

  return new Promise<ServeHandle>((resolveStart, rejectStart) => {
    const timer = setTimeout(() => {
      void stop();
      rejectStart(new Error(`bullpen serve printed no URL within ${START_TIMEOUT_MS} ms; its output:\n${output}`));
    }, START_TIMEOUT_MS);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      output += `${line}\n`;
      const m = URL_PATTERN.exec(line);
      if (!m) return;
      clearTimeout(timer);
      resolveStart({
        url: m[0],
        origin: m[1],
        token: decodeURIComponent(m[3]),
        workspacePath,
        child,
        log: () => output,
        stop,
      });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      rejectStart(new Error(`bullpen serve exited (${code ?? signal}) before printing its URL; its output:\n${output}`));
    });
  });
}
