import { describe, expect, expectTypeOf, it } from 'vitest';
import type { WorkerPool } from '../../../src-main/engine/workers/workerPool';
import { tasks, type TaskName, type TaskOutput, type TaskPayload } from '../../../src-workers/tasks';
import type { CheckParamsResult } from '../../../src-workers/tasks/checkParams';
import type { ChecksumResult } from '../../../src-workers/tasks/checksum';
import type { CvFoldPayload, CvFoldTaskResult } from '../../../src-workers/tasks/cvFold';
import type { PredictResult } from '../../../src-workers/tasks/predict';
import type { PredictBacktestResult } from '../../../src-workers/tasks/predictBacktest';
import type { TrainTaskResult } from '../../../src-workers/tasks/train';
import type { GateComputation } from '../../../src-workers/compute/validation';

// The type-level cases fail `npm run typecheck` (tsc over test/), not vitest: an `@ts-expect-error`
// whose line compiles after all is itself an error. The runtime cases check the same table's schemas.
const names = [
  'checksum',
  'checkParams',
  'train',
  'cvFold',
  'predict',
  'predictBacktest',
  'validationGates',
  'sweepSession',
  'sweepImportance',
] as const;

describe('compute task table', () => {
  it('names the same tasks in its type and in the table the worker dispatches from', () => {
    expectTypeOf<TaskName>().toEqualTypeOf<(typeof names)[number]>();
    expect(Object.keys(tasks).sort()).toEqual([...names].sort());
  });

  it('takes payload and result types from each task', () => {
    expectTypeOf<TaskPayload<'cvFold'>>().toEqualTypeOf<CvFoldPayload>();
    expectTypeOf<TaskOutput<'checksum'>>().toEqualTypeOf<ChecksumResult>();
    expectTypeOf<TaskOutput<'checkParams'>>().toEqualTypeOf<CheckParamsResult>();
    expectTypeOf<TaskOutput<'train'>>().toEqualTypeOf<TrainTaskResult>();
    expectTypeOf<TaskOutput<'cvFold'>>().toEqualTypeOf<CvFoldTaskResult>();
    expectTypeOf<TaskOutput<'predict'>>().toEqualTypeOf<PredictResult>();
    expectTypeOf<TaskOutput<'predictBacktest'>>().toEqualTypeOf<PredictBacktestResult>();
    expectTypeOf<TaskOutput<'validationGates'>>().toEqualTypeOf<GateComputation>();
    // Fields with defaults may be left out of a payload: it is the schema's input type.
    expectTypeOf<TaskPayload<'checksum'>>().toEqualTypeOf<{
      values: Float64Array<ArrayBuffer>;
      chunks: number;
      pauseMs?: number | undefined;
    }>();
  });

  it('makes a wrong task name or payload in pool.run a compile error, with no generic at the call', () => {
    // Never called: only the compiler reads these lines.
    const calls = async (pool: WorkerPool, x: Float64Array<ArrayBuffer>): Promise<void> => {
      const scored = await pool.run('predict', { modelText: 'tree', x, rows: 1, cols: 1, numThreads: 1 });
      expectTypeOf(scored).toEqualTypeOf<PredictResult>();
      expectTypeOf(scored.p).toEqualTypeOf<Float64Array>();
      const checked = await pool.run('checkParams', { params: { num_leaves: 8 }, userKeys: ['num_leaves'], cols: 3 });
      expectTypeOf(checked.problems).toEqualTypeOf<string[]>();
      // @ts-expect-error checkParams answers with problems, not folds
      void checked.folds;
      // @ts-expect-error not a task name
      await pool.run('fit', {});
      // @ts-expect-error a name from outside the table, typed as any string
      await pool.run(String('checksum'), { values: x, chunks: 1 });
      // @ts-expect-error predict needs modelText
      await pool.run('predict', { x, rows: 1, cols: 1, numThreads: 1 });
      // @ts-expect-error chunks is a number
      await pool.run('checksum', { values: x, chunks: '4' });
      // @ts-expect-error the checksum payload is not a cvFold payload
      await pool.run('cvFold', { values: x, chunks: 4 });
      const plainArrays = { x: [1], y: [0], rows: 1 };
      const trainPayload = { params: {}, numBoostRound: 1, earlyStoppingRounds: null, numThreads: 1, cols: 1, featureNames: ['a'] };
      // @ts-expect-error train's matrices are Float64Array, not number[]
      await pool.run('train', { ...trainPayload, train: plainArrays, valid: null });
    };
    expectTypeOf(calls).toBeFunction();
  });

  it('refuses wrong payloads at run time through the same schemas the types come from', () => {
    const x = new Float64Array(4);
    expect(tasks.checksum.payload.safeParse({ values: x, chunks: 2 }).success).toBe(true);
    expect(tasks.checksum.payload.safeParse({ values: x, chunks: '4' }).success).toBe(false);
    expect(tasks.checksum.payload.safeParse({ values: Array.from(x), chunks: 2 }).success).toBe(false);
    expect(tasks.predict.payload.safeParse({ x, rows: 1, cols: 4, numThreads: 1 }).success).toBe(false);
    expect(tasks.cvFold.payload.safeParse({ values: x, chunks: 4 }).success).toBe(false);
    // Defaults are applied before a task runs, so run() sees a complete payload.
    const parsed = tasks.checksum.payload.parse({ values: x, chunks: 2 });
    expect(parsed.pauseMs).toBe(0);
  });
});
