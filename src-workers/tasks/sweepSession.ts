import { MessagePort } from 'node:worker_threads';
import { z } from 'zod';
import { prunerSpecSchema } from '../../src-main/shared/sweep/pruning';
import { frozenTrialSchema, type IntermediatePoint } from '../../src-main/shared/sweep/trials';
import { categoryValueSchema } from '../../src-main/shared/sweep/distributions';
import { lgbParamsSchema } from '../compute/boosting';
import { TrialSession, type TrialOutcome, type TrialRequest } from '../compute/sweep/trialSession';
import type { TaskResult } from '../protocol';
import { TASK_CANCELLED } from '../protocol';
import { defineTask } from './defineTask';

export const sweepSessionPayloadSchema = z.object({
  x: z.instanceof(Float64Array),
  y: z.instanceof(Float64Array),
  rows: z.int().min(1),
  cols: z.int().min(1),
  featureNames: z.array(z.string()),
  folds: z
    .array(
      z.object({
        index: z.int().min(0),
        train: z.instanceof(Int32Array),
        test: z.instanceof(Int32Array),
        trainBeforeLastTest: z.int().min(0).optional(),
      }),
    )
    .min(1),
  baseParams: lgbParamsSchema,
  numBoostRound: z.int().min(1),
  earlyStoppingRounds: z.int().min(1),
  innerValidFraction: z.number().gt(0).lt(1).default(0.1),
  numThreads: z.int().min(1),
  pruner: prunerSpecSchema,
  seed: z.int(),
  /** The engine's end of the conversation: trials come in, reports and outcomes go out. */
  channel: z.custom<MessagePort>((v) => v instanceof MessagePort, 'a MessagePort'),
});
export type SweepSessionPayload = z.input<typeof sweepSessionPayloadSchema>;

export const trialRequestSchema = z.object({
  number: z.int().min(-1),
  params: z.record(z.string(), categoryValueSchema),
  reference: z.array(frozenTrialSchema),
  maxTrialMs: z.number().positive().nullable(),
  prunable: z.boolean(),
});

/** Engine → worker. */
export type SessionRequest = { type: 'trial'; trial: TrialRequest } | { type: 'close' };
/** Worker → engine. */
export type SessionMessage =
  | { type: 'report'; number: number; points: IntermediatePoint[] }
  | { type: 'outcome'; outcome: TrialOutcome }
  | { type: 'error'; number: number; message: string };

export interface SweepSessionResult {
  datasetBuilds: number;
  datasetReuses: number;
  trials: number;
}

/**
 * A long-lived sweep worker: it receives the matrix and folds once, then trials one at a time over
 * `channel` until the engine closes it, so the Dataset and the fold subsets are built once per worker
 * rather than once per trial. A trial that throws is answered with an error (the sweep marks it failed)
 * and the session goes on; a cancellation ends the session.
 */
export const sweepSession = defineTask(sweepSessionPayloadSchema, async (p, ctx): Promise<TaskResult<SweepSessionResult>> => {
  const { channel, ...setup } = p;
  const session = new TrialSession(setup);
  const inbox: SessionRequest[] = [];
  let wake: (() => void) | null = null;
  channel.on('message', (m: SessionRequest) => {
    inbox.push(m);
    wake?.();
  });
  const next = async (): Promise<SessionRequest> => {
    for (;;) {
      ctx.throwIfCancelled();
      const m = inbox.shift();
      if (m) return m;
      // Woken by a message, or every 200 ms to notice a cancellation (the flag has no event).
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 200);
      });
      wake = null;
    }
  };
  let trials = 0;
  try {
    for (;;) {
      const m = await next();
      if (m.type === 'close') break;
      const req = trialRequestSchema.parse(m.trial);
      trials++;
      try {
        const outcome = await session.run(
          req,
          (points) => channel.postMessage({ type: 'report', number: req.number, points } satisfies SessionMessage),
          () => ctx.throwIfCancelled(),
        );
        channel.postMessage(
          { type: 'outcome', outcome } satisfies SessionMessage,
          outcome.foldPredictions.map((a) => a.buffer as ArrayBuffer),
        );
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (message === TASK_CANCELLED) throw err;
        channel.postMessage({ type: 'error', number: req.number, message } satisfies SessionMessage);
      }
    }
  } finally {
    session.free();
    channel.close();
  }
  return { value: { datasetBuilds: session.builds, datasetReuses: session.reuses, trials } };
});
