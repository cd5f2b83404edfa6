import { Engine } from '../../engine/engine';
import { callerFrom } from '../../shared/caller';
import { toBullpenError } from '../../shared/errors';
import { dispatch } from '../handlers/dispatch';
import { ENV_ALLOW_WRITE, ENV_RESTARTS, ENV_WORKSPACE, type HostMessage, type HostRequest } from './protocol';
import { metricsOf } from '../../engine/operations/metrics/engineMetrics';

/**
 * The engine's own process (a child_process.fork child for serve, an Electron utility process for the
 * desktop): opens the workspace, answers call messages and forwards engine events, so a crash in native
 * code takes down only this process.
 */

interface ElectronParentPort {
  on(event: 'message', cb: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

interface Channel {
  send(msg: HostMessage): void;
  onMessage(cb: (msg: HostRequest) => void): void;
}

function parentChannel(): Channel {
  const parentPort = (process as NodeJS.Process & { parentPort?: ElectronParentPort }).parentPort;
  if (parentPort) {
    return {
      send: (msg) => parentPort.postMessage(msg),
      onMessage: (cb) => parentPort.on('message', (e) => cb(e.data as HostRequest)),
    };
  }
  if (process.send) {
    return {
      send: (msg) => {
        if (process.connected) process.send?.(msg);
      },
      onMessage: (cb) => process.on('message', (m) => cb(m as HostRequest)),
    };
  }
  throw new Error('engineHost must be started by Bullpen (no IPC channel to a parent process)');
}

async function main(): Promise<void> {
  const channel = parentChannel();
  const workspacePath = process.env[ENV_WORKSPACE];
  if (!workspacePath) throw new Error(`engineHost needs ${ENV_WORKSPACE}`);
  let engine: Engine;
  try {
    const allowWrite = JSON.parse(process.env[ENV_ALLOW_WRITE] ?? '[]') as unknown;
    engine = await Engine.open({
      workspacePath,
      restarts: Number(process.env[ENV_RESTARTS] ?? 0),
      scheduler: true,
      allowWrite: Array.isArray(allowWrite) ? allowWrite.filter((d): d is string => typeof d === 'string') : [],
    });
  } catch (err) {
    channel.send({ type: 'fatal', error: toBullpenError(err).toBody().error });
    // Let the message flush before leaving.
    setImmediate(() => process.exit(1));
    return;
  }
  // Job counts and durations start with the engine, not at the first scrape.
  metricsOf(engine);
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await engine.close();
    process.exit(0);
  };
  engine.onEvent((event) => channel.send({ type: 'event', event }));
  channel.onMessage((msg) => {
    if (msg.type === 'shutdown') void stop();
    else if (msg.type === 'call') {
      // Fail closed: only a call the supervisor marked local gets the local user's file access.
      void dispatch(engine, msg.op, msg.input, callerFrom(msg.caller)).then((result) =>
        channel.send({ type: 'result', id: msg.id, result }),
      );
    }
  });
  // A forked child whose parent died must not linger holding the workspace lock.
  process.on('disconnect', () => void stop());
  // Ctrl-C in a terminal signals the whole process group; the supervisor decides when the engine stops
  // (a SIGINT death here would look like a crash and trigger a pointless restart).
  process.on('SIGINT', () => undefined);
  channel.send({ type: 'ready', info: engine.info });
  for (const job of engine.jobs.interruptedAtStart) channel.send({ type: 'event', event: { type: 'job', job } });
}

main().catch((err: unknown) => {
  process.stderr.write(`bullpen engine host: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(5);
});
