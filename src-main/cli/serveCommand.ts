import { realpathSync, statSync } from 'node:fs';
import { EngineProcess } from '../api/host/engineProcess';
import { startServer } from '../api/http/server';
import { startMetricsServer, type RunningMetricsServer } from '../api/http/metricsServer';
import { newToken } from '../api/http/security';
import { readLiveServerFile, removeServerFile, writeServerFile } from '../api/http/serverFile';
import { BullpenError } from '../shared/errors';
import type { Invocation } from './buildProgram';
import type { CliIO } from './output';

/** An --allow-write folder as it really is; it must exist, since the browser cannot create folders. */
function allowedFolder(dir: string): string {
  try {
    const real = realpathSync(dir);
    if (statSync(real).isDirectory()) return real;
  } catch {
    // said below
  }
  throw new BullpenError('usage', 'BAD_ALLOW_WRITE', `--allow-write ${dir} is not an existing folder: create it first or drop the flag`, {
    dir,
  });
}

/**
 * `bullpen serve`: the engine in a supervised child process (restarted if it dies), the UI and API on
 * 127.0.0.1 with a per-launch token. Resolves with the exit status once SIGINT/SIGTERM stopped it.
 */
export async function runServe(inv: Extract<Invocation, { kind: 'serve' }>, io: CliIO, workspacePath: string): Promise<number> {
  const other = readLiveServerFile(workspacePath);
  if (other) {
    throw new BullpenError(
      'conflict',
      'ALREADY_SERVED',
      `${workspacePath} is already served at ${other.origin} (pid ${other.pid}); stop that one or pass another --workspace`,
      {
        origin: other.origin,
        pid: other.pid,
      },
    );
  }
  const allowWrite = inv.allowWrite.map(allowedFolder);
  const engine = await EngineProcess.start({ workspacePath, allowWrite });
  engine.onEvent((e) => {
    if (e.type === 'engine') io.err(`bullpen: engine ${e.status}: ${e.message}\n`);
  });
  // Never printed: the CLI reads it from the owner-only server file, which is what makes its calls local.
  const ownerToken = newToken();
  let server;
  try {
    server = await startServer({ transport: engine, host: inv.host, port: inv.port, ownerToken });
  } catch (err) {
    await engine.stop();
    throw err;
  }
  let metrics: RunningMetricsServer | null = null;
  if (inv.metricsPort !== undefined) {
    try {
      metrics = await startMetricsServer({ transport: engine, port: inv.metricsPort });
    } catch (err) {
      await server.close();
      await engine.stop();
      throw err;
    }
  }
  writeServerFile({ origin: server.origin, token: server.token, ownerToken, pid: process.pid, workspace: workspacePath });
  if (inv.flags.json) {
    io.out(
      `${JSON.stringify({ url: server.url, origin: server.origin, port: server.port, token: server.token, workspace: workspacePath, enginePid: engine.pid, ...(metrics ? { metricsUrl: metrics.url } : {}) })}\n`,
    );
  } else {
    io.out(`Bullpen is serving ${workspacePath}\nOpen ${server.url}\n(the token after # is this launch's password; Ctrl-C stops)\n`);
    if (metrics) io.out(`Prometheus metrics: ${metrics.url} (no token; this machine only)\n`);
  }
  if (inv.host !== '127.0.0.1' && inv.host !== 'localhost') {
    io.err(`bullpen: warning: bound to ${inv.host}; anyone who can reach it and has the token controls this workspace\n`);
  }
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  io.err('bullpen: stopping\n');
  removeServerFile(workspacePath);
  await metrics?.close();
  await server.close();
  await engine.stop();
  return 0;
}
