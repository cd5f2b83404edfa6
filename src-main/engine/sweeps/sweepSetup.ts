import { readFile } from 'node:fs/promises';
import { BullpenError, inputError } from '../../shared/errors';
import { sweepConfigSchema, type SweepConfig } from '../../shared/results/sweep';
import { DEFAULT_SEARCH_SPACE } from '../../shared/sweep/distributions';
import { DEFAULT_PRUNER, prunerSpecSchema, type PrunerSpec } from '../../shared/sweep/pruning';
import type { ObjectiveName, PrunerName, SamplerName } from '../../shared/sweep/trials';
import type { CvScheme, Target } from '../../shared/vocabulary';
import { DEFAULT_EARLY_STOPPING_ROUNDS, DEFAULT_NUM_BOOST_ROUND, DEFAULT_SEED } from '../modeling/defaultParams';
import type { EngineDeps } from '../engineDeps';
import { capSpace, parseSearchSpace } from './spaceFile';
import type { SweepRecord } from './sweepStorage';
import type { WarmStart } from './warmStart';

/** What `ml.optimize` takes (the contract's input, parsed); paths already confined by the API layer. */
export interface OptimizeInput {
  target?: Target;
  features?: string;
  trials?: number;
  sampler: SamplerName;
  objectives: string;
  pruner: PrunerName;
  seasons?: string;
  cv: CvScheme;
  splits: number;
  trainDays: number;
  testDays: number;
  gap: number;
  embargo: number;
  workers?: number;
  timeout?: number;
  maxTrialSeconds?: number;
  maxLeaves?: number;
  maxDepth?: number;
  space?: string;
  spaceText?: string;
  seed?: number;
  numBoostRound?: number;
  earlyStoppingRounds?: number;
  name?: string;
  resume?: string;
  /** Internal callers only (a retraining's sweep), never the contract: see SweepConfig.before. */
  before?: string;
  /** Internal: a space, fixed parameters and first trials from a trained model (warmStart.ts), instead of --space. */
  warmStart?: WarmStart;
}

export const DEFAULT_TRIALS = 50;
/** `ml optimize`'s CV when none is given (the contract's defaults), for sweeps an engine service starts itself. */
export const DEFAULT_SWEEP_CV = { cv: 'walk-forward', splits: 5, trainDays: 90, testDays: 30, gap: 1, embargo: 1 } as const;
/**
 * Trials n − LAG … n − 1 are pending when trial n is sampled. Fixed (not the worker count) so results do
 * not depend on how many workers ran; 3 keeps up to 4 workers busy.
 */
export const DEFAULT_LAG = 3;

/**
 * Parameters every trial and the default-parameter baseline start from: LightGBM's own defaults for
 * everything searched, plus what makes trials comparable and repeatable. feature_pre_filter=false lets
 * one binned Dataset serve every min_child_samples a sweep tries.
 */
export function sweepBaseParams(seed: number): Record<string, string | number | boolean> {
  return {
    objective: 'binary',
    metric: 'binary_logloss',
    deterministic: true,
    force_col_wise: true,
    feature_pre_filter: false,
    verbosity: -1,
    seed,
  };
}

async function readSpace(input: OptimizeInput) {
  if (input.space !== undefined && input.spaceText !== undefined)
    throw new BullpenError('usage', 'SPACE_ONE_SOURCE', 'give --space FILE or the space text, not both');
  if (input.space !== undefined) {
    let text: string;
    try {
      text = await readFile(input.space, 'utf8');
    } catch (err) {
      throw inputError('SPACE_UNREADABLE', `cannot read search space file ${input.space}: ${(err as Error).message}`, {
        file: input.space,
      });
    }
    return parseSearchSpace(text, input.space);
  }
  if (input.spaceText !== undefined) return parseSearchSpace(input.spaceText, 'the search space text');
  return DEFAULT_SEARCH_SPACE;
}

function prunerFor(name: PrunerName, objectives: readonly ObjectiveName[]): PrunerSpec {
  // Optuna refuses pruning in multi-objective studies; intermediate values here are log loss, so only a
  // log-loss sweep may be pruned on them.
  if (objectives.length > 1 || objectives[0] !== 'logLoss') return { type: 'none' };
  if (name === 'median') return DEFAULT_PRUNER;
  return prunerSpecSchema.parse({ type: name });
}

/** A new sweep's configuration from the user's input; refusals here start no job. */
export async function newSweepConfig(deps: EngineDeps, input: OptimizeInput): Promise<SweepConfig> {
  if (!input.target || !input.features)
    throw new BullpenError('usage', 'OPTIMIZE_NEEDS_SPEC', 'give --target T and --features SET (or --resume NAME to continue a sweep)');
  const objectives = input.objectives.split(',') as ObjectiveName[];
  if (objectives.includes('roi') && input.target !== 'home_win')
    throw inputError(
      'ROI_NEEDS_MONEYLINE',
      `the roi objective bets the moneyline, which prices --target home_win only (not ${input.target})`,
      {
        target: input.target,
      },
    );
  const space = capSpace(input.warmStart?.space ?? (await readSpace(input)), {
    maxLeaves: input.maxLeaves ?? null,
    maxDepth: input.maxDepth ?? null,
  });
  const cores = deps.pool.size * deps.pool.threadsPerTask;
  const workers = Math.min(input.workers ?? deps.pool.size, deps.pool.size);
  return sweepConfigSchema.parse({
    target: input.target,
    features: input.features,
    seasons: input.seasons ?? null,
    cv: {
      scheme: input.cv,
      splits: input.splits,
      trainDays: input.trainDays,
      testDays: input.testDays,
      gap: input.gap,
      embargo: input.embargo,
    },
    sampler: input.sampler,
    objectives,
    trials: input.trials ?? DEFAULT_TRIALS,
    workers,
    threadsPerTrial: Math.max(1, Math.floor(cores / workers)),
    timeoutSeconds: input.timeout ?? null,
    maxTrialSeconds: input.maxTrialSeconds ?? null,
    space: space.space,
    fixed: { ...input.warmStart?.fixed, ...space.fixed },
    seed: input.seed ?? DEFAULT_SEED,
    pruner: prunerFor(input.pruner, objectives),
    numBoostRound: input.numBoostRound ?? DEFAULT_NUM_BOOST_ROUND,
    earlyStoppingRounds: input.earlyStoppingRounds ?? DEFAULT_EARLY_STOPPING_ROUNDS,
    lag: DEFAULT_LAG,
    before: input.before ?? null,
    enqueued: input.warmStart ? [input.warmStart.enqueued] : [],
  });
}

/** A heartbeat newer than this means another process is running the sweep. */
export const LIVE_HEARTBEAT_MS = 30_000;

/**
 * The sweep `--resume` continues, checked: not running in this engine or (by its heartbeat) in another
 * one. Only the trial count and the time limits may change on a resume; everything that decides trials stays.
 */
export async function resumableSweep(deps: EngineDeps, input: OptimizeInput): Promise<{ record: SweepRecord; config: SweepConfig }> {
  const record = await deps.sweeps.get(input.resume ?? '');
  const live = record.jobId !== null && deps.jobs.liveIds().includes(record.jobId);
  const fresh = !deps.sweeps.exclusive && record.heartbeatAt !== null && Date.now() - Date.parse(record.heartbeatAt) < LIVE_HEARTBEAT_MS;
  if (record.status === 'running' && (live || fresh))
    throw new BullpenError(
      'conflict',
      'SWEEP_RUNNING',
      `sweep ${record.name} is running${live ? ` (job ${record.jobId})` : ' in another process'}: cancel it first`,
      {
        sweep: record.id,
      },
    );
  const decided: (keyof OptimizeInput)[] = [
    'target',
    'features',
    'space',
    'spaceText',
    'seed',
    'maxLeaves',
    'maxDepth',
    'numBoostRound',
    'earlyStoppingRounds',
  ];
  const changed = decided.filter((k) => input[k] !== undefined);
  if (changed.length > 0)
    throw new BullpenError(
      'usage',
      'RESUME_FIXED_SETTINGS',
      `--resume continues sweep ${record.name} exactly as it was set up: leave out ${changed.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')} (only --trials, --workers, --timeout and --max-trial-seconds may change)`,
      { changed },
    );
  const cores = deps.pool.size * deps.pool.threadsPerTask;
  const workers = Math.min(input.workers ?? record.config.workers, deps.pool.size);
  const config: SweepConfig = {
    ...record.config,
    trials: input.trials ?? record.config.trials,
    workers,
    // Threads per trial stay as recorded when the worker count allows it, so resumed trials train alike.
    threadsPerTrial: Math.min(record.config.threadsPerTrial, Math.max(1, Math.floor(cores / workers))),
    timeoutSeconds: input.timeout ?? record.config.timeoutSeconds,
    maxTrialSeconds: input.maxTrialSeconds ?? record.config.maxTrialSeconds,
  };
  return { record, config };
}
