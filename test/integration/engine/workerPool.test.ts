import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { WorkerPool } from '../../../src-main/engine/workers/workerPool';
import { poolSize } from '../../../src-main/engine/workers/poolSizing';

describe('worker pool (built out/main/computeWorker.js)', () => {
  let pool: WorkerPool;
  beforeEach(() => {
    pool = new WorkerPool();
  });
  afterEach(async () => {
    await pool.close();
  });

  it('sizes itself so workers × threads per task never exceed the cores', () => {
    expect(pool.size * pool.threadsPerTask).toBeLessThanOrEqual(availableParallelism());
    expect(poolSize({ cores: 8, threadsPerTask: 3 })).toBe(2);
    expect(poolSize({ cores: 2, threadsPerTask: 4 })).toBe(1);
    expect(poolSize({ cores: 16, threadsPerTask: 2, requested: 3 })).toBe(3);
    expect(poolSize({ cores: 4, threadsPerTask: 2, requested: 9 })).toBe(2);
  });

  it('moves typed arrays in and out and reports progress over the port', async () => {
    const values = Float64Array.from({ length: 1000 }, (_v, i) => i);
    const progress: number[] = [];
    const out = await pool.run('checksum', { values, chunks: 4 }, { transferList: [values.buffer], onProgress: (f) => progress.push(f) });
    // Transferred, not copied: our copy of the input is detached.
    expect(values.byteLength).toBe(0);
    expect(out.chunkSums).toBeInstanceOf(Float64Array);
    expect([...out.chunkSums]).toEqual([31125, 93625, 156125, 218625]);
    expect(out.sum).toBe(499500);
    expect(progress).toEqual([0.25, 0.5, 0.75, 1]);
  });

  it('gives the same checksum for the same data', async () => {
    const make = () => Float64Array.from({ length: 5000 }, (_v, i) => Math.sin(i));
    const a = await pool.run('checksum', { values: make(), chunks: 3 });
    const b = await pool.run('checksum', { values: make(), chunks: 7 });
    expect(a.checksum).toBe(b.checksum);
  });

  it('cancels a running task between steps and rejects with a cancelled error', async () => {
    const controller = new AbortController();
    const values = new Float64Array(10_000);
    const run = pool.run(
      'checksum',
      { values, chunks: 1000, pauseMs: 60_000 },
      {
        signal: controller.signal,
        onProgress: () => controller.abort(),
      },
    );
    await expect(run).rejects.toMatchObject({ kind: 'cancelled', code: 'TASK_CANCELLED' });
    // The pool is still usable after a cancellation.
    const ok = await pool.run('checksum', { values: new Float64Array([1, 2]), chunks: 1 });
    expect(ok.sum).toBe(3);
  });

  // The pool's types refuse these at compile time (test/unit/workers/taskTypes.test.ts); the worker must
  // refuse them again at run time, because nothing typed crosses the thread boundary.
  it('reports an unknown task as a failure naming it', async () => {
    // @ts-expect-error not a task name
    await expect(pool.run('nope', {})).rejects.toMatchObject({
      code: 'WORKER_TASK_FAILED',
      message: expect.stringMatching(/unknown compute task "nope"/),
    });
  });

  it('refuses inherited names such as "constructor" as unknown tasks', async () => {
    for (const name of ['constructor', 'toString', '__proto__']) {
      // @ts-expect-error not a task name
      await expect(pool.run(name, {})).rejects.toMatchObject({
        code: 'WORKER_TASK_FAILED',
        message: expect.stringContaining(`unknown compute task "${name}"`),
      });
    }
  });

  it('refuses a payload that fails the task schema, naming the field', async () => {
    // @ts-expect-error chunks must be a number
    const wrongType = pool.run('checksum', { values: new Float64Array(4), chunks: 'four' });
    await expect(wrongType).rejects.toMatchObject({
      code: 'WORKER_TASK_FAILED',
      message: expect.stringMatching(/invalid payload for compute task "checksum": chunks: /),
    });
    // @ts-expect-error values is missing
    const missing = pool.run('cvFold', { rows: 1 });
    await expect(missing).rejects.toMatchObject({
      code: 'WORKER_TASK_FAILED',
      message: expect.stringMatching(/invalid payload for compute task "cvFold": .*\bx: /),
    });
    // Typed right but out of range: only the schema in the worker can refuse this one.
    const outOfRange = pool.run('checksum', { values: new Float64Array(4), chunks: 0 });
    await expect(outOfRange).rejects.toMatchObject({
      code: 'WORKER_TASK_FAILED',
      message: expect.stringMatching(/invalid payload for compute task "checksum": chunks: /),
    });
    // The pool still runs good tasks afterwards.
    expect((await pool.run('checksum', { values: new Float64Array([2, 3]), chunks: 1 })).sum).toBe(5);
  });

  it('shuts down cleanly while a task is running', async () => {
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const task = pool.run('checksum', { values: new Float64Array(100), chunks: 100, pauseMs: 60_000 }, { onProgress: () => started() });
    const settled = task.then(
      () => 'resolved',
      (e: { kind?: string }) => e.kind,
    );
    await running;
    await pool.close();
    expect(await settled).toBe('cancelled');
  });
});
