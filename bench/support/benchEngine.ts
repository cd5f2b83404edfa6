import { execSync } from 'node:child_process';
import { copyFileSync, cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { jobResult, type Contract, type JobOpName, type ResultOf } from '../../src-main/api/contract';
import { dispatch } from '../../src-main/api/handlers';
import type { Engine } from '../../src-main/engine/engine';
import { jobSchema } from '../../src-main/shared/events';

/** Starts a job op as the CLI would and answers its typed result; a refusal or an unfinished job throws. */
export async function runJob<K extends JobOpName>(engine: Engine, op: K, input: unknown): Promise<ResultOf<Contract[K]>> {
  const started = await dispatch(engine, op, input);
  if (!started.ok) throw new Error(`${op}: ${started.error.message}`);
  const done = await engine.jobs.settled(jobSchema.parse(started.output).id);
  if (done.state !== 'completed') throw new Error(`${op} ${done.state}: ${done.error}`);
  return jobResult(done, op);
}

/** A private copy of a workspace file in `dir` (its checkpointed state: another process may be writing the original's WAL). */
export function copyWorkspace(from: string, dir: string, name: string): string {
  const to = join(dir, `${name}.duckdb`);
  rmSync(to, { force: true });
  rmSync(`${to}.wal`, { force: true });
  copyFileSync(from, to);
  return to;
}

/**
 * A private copy of the built compute worker: other builds on the machine replace out/main while a
 * benchmark runs (minutes), and a worker file missing mid-run fails it. It stays under node_modules so its
 * requires resolve. Answers the worker file to give the engine's pool.
 */
export function privateWorker(cacheName: string): string {
  const dir = join(process.cwd(), 'node_modules', '.cache', cacheName);
  execSync('flock /tmp/bullpen-build.lock true');
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(process.cwd(), 'out', 'main'), join(dir, 'main'), { recursive: true });
  return join(dir, 'main', 'computeWorker.js');
}
