import { existsSync } from 'node:fs';
import { BullpenError } from '../../shared/errors';
import type { EngineEvent } from '../../shared/events';
import type { EngineInfo } from '../../engine/engine';
import { builtMainFile } from '../../engine/workers/workerPath';
import type { CallResult, Transport } from '../client/transport';
import { LOCAL_CALLER, type Caller } from '../../shared/caller';
import { ENV_ALLOW_WRITE, ENV_RESTARTS, ENV_WORKSPACE, type HostMessage } from './protocol';
import { forkSpawner, type EngineChild, type SpawnEngine } from './spawn';

export interface EngineProcessOptions {
  workspacePath: string;
  /** child_process.fork by default; the Electron shell passes utilityProcessSpawner(utilityProcess.fork). */
  spawn?: SpawnEngine;
  /** The built engine host; defaults to out/main/engineHost.js. */
  entry?: string;
  /** Give up after this many crashes within restartWindowMs (a crash loop helps nobody). */
  maxRestarts?: number;
  restartWindowMs?: number;
  /** Folders remote callers may write into besides the workspace's export folder (`bullpen serve --allow-write`). */
  allowWrite?: readonly string[];
}

const DEFAULT_MAX_RESTARTS = 5;
const DEFAULT_RESTART_WINDOW_MS = 60_000;
/** How long stop() waits for a graceful shutdown before killing the host. */
const STOP_GRACE_MS = 5_000;

interface Generation {
  child: EngineChild;
  ready: Promise<EngineInfo>;
  pending: Map<number, (result: CallResult) => void>;
  exited: boolean;
}

const now = (): string => new Date().toISOString();

/** "was killed by SIGKILL" or "exited with code 3": what a person needs to tell a crash from a kill. */
export function describeExit(code: number | null, signal: string | null): string {
  if (signal) return `was killed by ${signal}`;
  return code === null ? 'exited' : `exited with code ${code}`;
}
const errorResult = (err: BullpenError): CallResult => ({ ok: false, error: err.toBody().error });

/**
 * The supervisor side of the engine process: spawns the host, forwards calls and events, notices when
 * the host dies, restarts it (jobs it was running then read `interrupted`) and says so with an `engine`
 * event. It is a Transport, so the HTTP server and the Electron IPC bridge can sit on top of it.
 */
export class EngineProcess implements Transport {
  private readonly listeners = new Set<(event: EngineEvent) => void>();
  private readonly spawn: SpawnEngine;
  private readonly entry: string;
  private gen!: Generation;
  private nextId = 1;
  private restartCount = 0;
  private crashTimes: number[] = [];
  private stopping = false;
  /** Set when the engine cannot run (fatal at open, or a crash loop): every call answers with it. */
  private unavailable: BullpenError | null = null;

  private constructor(private readonly options: EngineProcessOptions) {
    this.spawn = options.spawn ?? forkSpawner;
    this.entry = options.entry ?? builtMainFile('engineHost.js');
  }

  /** Starts the engine host and resolves once it is ready, or rejects with why it cannot start. */
  static async start(options: EngineProcessOptions): Promise<EngineProcess> {
    const p = new EngineProcess(options);
    if (!existsSync(p.entry)) {
      throw new BullpenError('internal', 'ENGINE_NOT_BUILT', `engine host ${p.entry} is missing: run \`npm run build\` first`, {
        entry: p.entry,
      });
    }
    p.launch();
    try {
      await p.gen.ready;
    } catch (err) {
      // The first start failed (a workspace from a newer build, a locked file): report it, do not retry.
      p.stopping = true;
      if (!p.gen.exited) p.gen.child.kill();
      throw err;
    }
    p.emitLocal({ type: 'engine', status: 'ready', message: `engine ready (pid ${p.pid})`, at: now() });
    return p;
  }

  get pid(): number | undefined {
    return this.gen.child.pid;
  }

  get restarts(): number {
    return this.restartCount;
  }

  /** Resolves with the current engine's info once it is ready (after a restart: the new one). */
  ready(): Promise<EngineInfo> {
    return this.gen.ready;
  }

  private launch(): void {
    const child = this.spawn(this.entry, {
      [ENV_WORKSPACE]: this.options.workspacePath,
      [ENV_RESTARTS]: String(this.restartCount),
      [ENV_ALLOW_WRITE]: JSON.stringify(this.options.allowWrite ?? []),
    });
    let resolveReady!: (info: EngineInfo) => void;
    let rejectReady!: (err: BullpenError) => void;
    const ready = new Promise<EngineInfo>((res, rej) => {
      resolveReady = res;
      rejectReady = rej;
    });
    // Callers observe readiness through call(); an unobserved rejection must not crash the supervisor.
    ready.catch(() => undefined);
    const gen: Generation = { child, ready, pending: new Map(), exited: false };
    this.gen = gen;
    let fatal: BullpenError | null = null;
    child.onMessage((msg: HostMessage) => {
      switch (msg.type) {
        case 'ready':
          resolveReady(msg.info);
          break;
        case 'fatal':
          fatal = BullpenError.fromBody({ error: msg.error });
          rejectReady(fatal);
          break;
        case 'result': {
          const settle = gen.pending.get(msg.id);
          gen.pending.delete(msg.id);
          settle?.(msg.result);
          break;
        }
        case 'event':
          this.emitLocal(msg.event);
          break;
      }
    });
    child.onExit((code, signal) => {
      gen.exited = true;
      const crash = new BullpenError(
        'internal',
        'ENGINE_CRASHED',
        `the engine process ${describeExit(code, signal)} during the call; it is being restarted`,
        {
          code,
          signal,
        },
      );
      for (const settle of gen.pending.values()) settle(errorResult(crash));
      gen.pending.clear();
      rejectReady(fatal ?? crash);
      if (this.stopping || this.gen !== gen) return;
      if (fatal) {
        // The engine refused to open the workspace: restarting would refuse again.
        this.unavailable = fatal;
        this.emitLocal({ type: 'engine', status: 'crashed', message: fatal.message, at: now() });
        return;
      }
      this.onCrash(code, signal);
    });
  }

  private onCrash(code: number | null, signal: string | null): void {
    const t = Date.now();
    const windowMs = this.options.restartWindowMs ?? DEFAULT_RESTART_WINDOW_MS;
    this.crashTimes = [...this.crashTimes.filter((x) => t - x < windowMs), t];
    this.emitLocal({
      type: 'engine',
      status: 'crashed',
      message: `the engine process ${describeExit(code, signal)} unexpectedly`,
      at: now(),
    });
    if (this.crashTimes.length > (this.options.maxRestarts ?? DEFAULT_MAX_RESTARTS)) {
      this.unavailable = new BullpenError(
        'internal',
        'ENGINE_UNAVAILABLE',
        `the engine crashed ${this.crashTimes.length} times within ${windowMs / 1000} s; restart Bullpen (see its log on standard error)`,
      );
      return;
    }
    this.restartCount++;
    this.launch();
    const gen = this.gen;
    gen.ready.then(
      (info) =>
        this.emitLocal({
          type: 'engine',
          status: 'restarted',
          message: `the engine crashed and was restarted (pid ${info.pid}, restart ${this.restartCount})`,
          at: now(),
        }),
      () => undefined,
    );
  }

  /** Forwards a call; the desktop window's IPC and the supervisor's own calls are the local user. */
  async call(op: string, input: unknown, caller: Caller = LOCAL_CALLER): Promise<CallResult> {
    if (this.unavailable) return errorResult(this.unavailable);
    if (this.stopping) return errorResult(new BullpenError('internal', 'ENGINE_STOPPED', 'the engine is shutting down'));
    const gen = this.gen;
    try {
      await gen.ready;
    } catch (err) {
      return errorResult(err instanceof BullpenError ? err : new BullpenError('internal', 'ENGINE_UNAVAILABLE', String(err)));
    }
    if (gen.exited) return this.call(op, input, caller);
    const id = this.nextId++;
    return new Promise<CallResult>((resolve) => {
      gen.pending.set(id, resolve);
      gen.child.send({ type: 'call', id, op, input, caller: { access: caller.access } });
    });
  }

  onEvent(cb: (event: EngineEvent) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  private emitLocal(event: EngineEvent): void {
    for (const cb of [...this.listeners]) {
      try {
        cb(event);
      } catch (err) {
        process.emitWarning(`engine event listener failed: ${(err as Error).message}`);
      }
    }
  }

  /** Asks the host to close the engine cleanly (running jobs end `interrupted`), killing it if it hangs. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    const gen = this.gen;
    if (gen.exited) return;
    const exited = new Promise<void>((resolve) => gen.child.onExit(() => resolve()));
    gen.child.send({ type: 'shutdown' });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = await Promise.race([
      exited.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), STOP_GRACE_MS);
      }),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      gen.child.kill();
      await exited;
    }
  }
}
