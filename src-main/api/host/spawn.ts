import { fork } from 'node:child_process';
import type { HostMessage, HostRequest } from './protocol';

/** A running engine host, whatever started it (child_process.fork or Electron's utilityProcess.fork). */
export interface EngineChild {
  readonly pid: number | undefined;
  send(msg: HostRequest): void;
  onMessage(cb: (msg: HostMessage) => void): void;
  /** signal is the one that killed a Node child (SIGKILL, …); Electron's utility process reports only a code. */
  onExit(cb: (code: number | null, signal: string | null) => void): void;
  kill(): void;
}

/** Starts the engine host entry with extra environment variables. */
export type SpawnEngine = (entry: string, env: Record<string, string>) => EngineChild;

/** serve and tests: a Node child process; its stdout goes to our stderr so `--json` output stays clean. */
export const forkSpawner: SpawnEngine = (entry, env) => {
  const child = fork(entry, [], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    serialization: 'json',
  });
  child.stdout?.pipe(process.stderr);
  return {
    get pid() {
      return child.pid;
    },
    send: (msg) => {
      if (child.connected) child.send(msg);
    },
    onMessage: (cb) => child.on('message', (m) => cb(m as HostMessage)),
    onExit: (cb) => child.on('exit', (code, signal) => cb(code, signal)),
    kill: () => {
      child.kill('SIGKILL');
    },
  };
};

/** The parts of Electron's UtilityProcess the supervisor needs (declared here so api never imports electron). */
export interface UtilityProcessLike {
  readonly pid: number | undefined;
  postMessage(message: unknown): void;
  on(event: 'message', cb: (message: unknown) => void): unknown;
  on(event: 'exit', cb: (code: number) => void): unknown;
  kill(): boolean;
}

export type UtilityForkLike = (
  modulePath: string,
  args?: string[],
  options?: { env?: Record<string, string | undefined>; serviceName?: string; stdio?: 'inherit' | 'pipe' | 'ignore' },
) => UtilityProcessLike;

/** The desktop: wraps `utilityProcess.fork` (passed in by the Electron shell) as a SpawnEngine. */
export function utilityProcessSpawner(forkUtility: UtilityForkLike): SpawnEngine {
  return (entry, env) => {
    const child = forkUtility(entry, [], { env: { ...process.env, ...env }, serviceName: 'Bullpen engine', stdio: 'inherit' });
    return {
      get pid() {
        return child.pid;
      },
      send: (msg) => child.postMessage(msg),
      onMessage: (cb) => {
        child.on('message', (m) => cb(m as HostMessage));
      },
      onExit: (cb) => {
        child.on('exit', (code) => cb(code, null));
      },
      kill: () => {
        child.kill();
      },
    };
  };
}
