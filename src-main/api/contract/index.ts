import { workspaceOps } from './ops/workspace';
import { jobOps } from './ops/jobs';
import { trainingOps } from './ops/training';
import { evaluationOps } from './ops/evaluation';
import { trackingOps } from './ops/tracking';
import { dataOps } from './ops/data';
import { featureOps } from './ops/features';
import { validationOps } from './ops/validation';
import { settingsOps } from './ops/settings';
import { exportOps } from './ops/export';
import { registryOps } from './ops/registry';
import { sweepOps } from './ops/sweeps';
import { metricsOps } from './ops/metrics';
import { deployOps } from './ops/deploy';
import { abOps } from './ops/ab';

import { BullpenError } from '../../shared/errors';
import type { Job } from '../../shared/events';
import type { OpDef, ResultOf } from './defineOp';

export * from './defineOp';
export * from '../../shared/errors';
export * from '../../shared/events';
export * from '../../shared/vocabulary';
export * from '../../shared/results';

/**
 * The contract: every operation Bullpen offers, declared once. Add a noun's ops file here and
 * implement it in ../handlers; IPC, HTTP, the renderer client and the CLI pick it up.
 */
export const contract = {
  ...workspaceOps,
  ...jobOps,
  ...trainingOps,
  ...evaluationOps,
  ...trackingOps,
  ...dataOps,
  ...featureOps,
  ...validationOps,
  ...settingsOps,
  ...registryOps,
  ...exportOps,
  ...sweepOps,
  ...metricsOps,
  ...deployOps,
  ...abOps,
} as const;

export type Contract = typeof contract;
export type OpName = keyof Contract;
export const opNames = Object.keys(contract) as OpName[];

/** The ops that start jobs (each declares its result schema). */
export type JobOpName = { [K in OpName]: ResultOf<Contract[K]> extends never ? never : K }[OpName];

/**
 * A completed job's result, parsed by its op's result schema: what the CLI, the renderer and tests read
 * instead of casting `job.result`. Throws when the job did not complete (its error says why), when it is
 * another op's job, or when the result does not match (a bug: the engine checks results on completion).
 */
export function jobResult<K extends JobOpName>(job: Job, op: K): ResultOf<Contract[K]> {
  const result = tryJobResult(job, op);
  if (result === null) {
    throw new BullpenError(
      'usage',
      'JOB_NOT_COMPLETED',
      `job ${job.id} (${job.kind}) is ${job.state}${job.error ? `: ${job.error}` : ''}; only a completed job has a result`,
      {
        id: job.id,
        state: job.state,
      },
    );
  }
  return result;
}

/** Like jobResult, but null while the job is queued or running, or when it failed or was cancelled. */
export function tryJobResult<K extends JobOpName>(job: Job, op: K): ResultOf<Contract[K]> | null {
  const def: OpDef = contract[op];
  const kind = def.jobKind ?? op;
  if (job.kind !== kind)
    throw new BullpenError('usage', 'JOB_KIND_MISMATCH', `job ${job.id} is a ${job.kind} job, not ${kind}`, {
      id: job.id,
      kind: job.kind,
      expected: kind,
    });
  if (job.state !== 'completed') return null;
  if (!def.result) throw new BullpenError('internal', 'JOB_RESULT_UNDECLARED', `op ${op} declares no result schema`, { op });
  const parsed = def.result.safeParse(job.result);
  // Parsed by contract[op].result, so the data has that schema's output type; the lookup by name hides it from TypeScript.
  if (parsed.success) return parsed.data as ResultOf<Contract[K]>;
  const i = parsed.error.issues[0];
  throw new BullpenError(
    'internal',
    'JOB_RESULT_INVALID',
    `the result of job ${job.id} (${kind}) does not match its schema (${i ? `${i.path.map(String).join('.') || 'result'}: ${i.message}` : 'invalid'}): please report this`,
    {
      id: job.id,
      kind,
    },
  );
}
