import type { EngineEvent } from '../shared/events';
import { uploadRoot } from './data/uploadStore';
import { PathPolicy } from './files/pathPolicy';
import { useOwnerOnlyUmask } from './files/privateFiles';
import { JobManager } from './jobs/jobManager';
import { WorkerPool, type WorkerPoolOptions } from './workers/workerPool';
import { Workspace } from './workspace/workspace';

export interface EngineOptions {
  workspacePath: string;
  /** How many times the supervising process restarted this engine (shown on the Workspace screen). */
  restarts?: number;
  pool?: WorkerPoolOptions;
  /** Folders remote callers may write into besides the export folder (`bullpen serve --allow-write`). */
  allowWrite?: readonly string[];
}

export interface EngineInfo {
  pid: number;
  startedAt: string;
  restarts: number;
}

/**
 * The Electron-free engine: the workspace, the job system and the compute pool, plus an event stream
 * that every transport (IPC, WebSocket, CLI) forwards. One engine per workspace file per process.
 */
export class Engine {
  private readonly listeners = new Set<(event: EngineEvent) => void>();
  private closing: Promise<void> | null = null;
  readonly info: EngineInfo;
  /** Which files each caller may read and write (every path-taking op asks it). */
  readonly files: PathPolicy;
  // Assigned in open(): the job manager needs emit(), which needs the engine.
  jobs!: JobManager;

  private constructor(
    readonly workspace: Workspace,
    readonly pool: WorkerPool,
    restarts: number,
    allowWrite: readonly string[],
  ) {
    this.info = { pid: process.pid, startedAt: new Date().toISOString(), restarts };
    this.files = new PathPolicy({ workspacePath: workspace.path, uploadRoot: uploadRoot(), allowWrite });
  }

  static async open(options: EngineOptions): Promise<Engine> {
    useOwnerOnlyUmask();
    const workspace = await Workspace.open(options.workspacePath);
    let pool: WorkerPool;
    try {
      pool = new WorkerPool(options.pool);
    } catch (err) {
      workspace.close();
      throw err;
    }
    const engine = new Engine(workspace, pool, options.restarts ?? 0, options.allowWrite ?? []);
    try {
      engine.jobs = await JobManager.open(workspace, (e) => engine.emit(e));
    } catch (err) {
      await pool.close();
      workspace.close();
      throw err;
    }
    return engine;
  }

  /** Broadcasts an event to every subscriber; a throwing subscriber cannot break the others. */
  emit(event: EngineEvent): void {
    for (const cb of [...this.listeners]) {
      try {
        cb(event);
      } catch (err) {
        process.emitWarning(`engine event listener failed: ${(err as Error).message}`);
      }
    }
  }

  onEvent(cb: (event: EngineEvent) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /** Stops running jobs (they read `interrupted`), shuts the pool down and closes the workspace. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.jobs.close();
      await this.pool.close();
      this.workspace.close();
      this.listeners.clear();
    })();
    return this.closing;
  }
}
