// TPE against random search on a real (small) LightGBM tuning problem, in process through the binding:
// the same seeds for both samplers (their first 10 trials coincide), compared seed by seed.
import { afterAll, describe, expect, it } from 'vitest';
import { Dataset, trainWithResult } from '@bullpen/lightgbm';
import { DEFAULT_SEARCH_SPACE, type TrialParams } from '../../../src-main/shared/sweep/distributions';
import { makeSampler } from '../../../src-workers/compute/sweep';
import { createRng } from '../../../src-workers/compute/stats/rng';
import { median, wilcoxonSignedRankLess } from '../../unit/sweep/support/rankTests';
import { bestValue, simulateSweep } from '../../unit/sweep/support/simulate';

const ROWS = 2000;
const TRAIN_ROWS = 1400;
const COLS = 12;
const TRIALS = 30;
const SEEDS = 16;
const ROUNDS = 30;
const ALPHA = 0.05;

/**
 * A binary problem with interactions, a non-monotone effect and noise columns, so that tree size,
 * learning rate and regularisation all matter: logit = 1.5·x0·x1 + sin(3·x2) + x3² − 1 + 0.8·x4 − 0.6·x5·[x6 > 0].
 */
function syntheticClassification(seed: number): { x: Float64Array; y: Float64Array } {
  const rng = createRng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat());
  const x = new Float64Array(ROWS * COLS);
  const y = new Float64Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const v = Array.from({ length: COLS }, normal);
    x.set(v, r * COLS);
    const logit = 1.5 * v[0] * v[1] + Math.sin(3 * v[2]) + v[3] * v[3] - 1 + 0.8 * v[4] - 0.6 * v[5] * (v[6] > 0 ? 1 : 0);
    y[r] = rng.nextFloat() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
  }
  return { x, y };
}

const { x, y } = syntheticClassification(2024);
// Binned once; both parts are subsets sharing its bins. feature_pre_filter=false lets min_child_samples vary per trial.
const whole = Dataset.fromMatrix(x, {
  rows: ROWS,
  cols: COLS,
  label: y,
  params: { verbosity: -1, feature_pre_filter: false, max_bin: 31 },
});
const train = whole.subset(Array.from({ length: TRAIN_ROWS }, (_, i) => i));
const valid = whole.subset(Array.from({ length: ROWS - TRAIN_ROWS }, (_, i) => TRAIN_ROWS + i));
afterAll(() => {
  train.free();
  valid.free();
  whole.free();
});

// Training is deterministic, so a parameter set seen before (the samplers share their startup trials) is not refit.
const seen = new Map<string, number>();
let fits = 0;
async function validationLogLoss(params: TrialParams): Promise<number[]> {
  const key = JSON.stringify(params);
  const known = seen.get(key);
  if (known !== undefined) return [known];
  fits++;
  const result = await trainWithResult(
    {
      objective: 'binary',
      metric: 'binary_logloss',
      verbosity: -1,
      num_threads: 1,
      deterministic: true,
      force_row_wise: true,
      seed: 7,
      ...params,
    },
    train,
    { numBoostRound: ROUNDS, validSets: [valid], validNames: ['valid'] },
  );
  const loss = result.bestScore[0].value;
  result.booster.free();
  seen.set(key, loss);
  return [loss];
}

describe('TPE vs random search tuning LightGBM', () => {
  it(`reaches a lower validation log loss in ${TRIALS} trials (paired over ${SEEDS} seeds, one-sided Wilcoxon, α = ${ALPHA})`, async () => {
    const started = performance.now();
    const tpe: number[] = [];
    const random: number[] = [];
    for (let seed = 0; seed < SEEDS; seed++) {
      tpe.push(bestValue(await simulateSweep(makeSampler('tpe'), DEFAULT_SEARCH_SPACE, ['minimize'], validationLogLoss, TRIALS, seed)));
      random.push(
        bestValue(await simulateSweep(makeSampler('random'), DEFAULT_SEARCH_SPACE, ['minimize'], validationLogLoss, TRIALS, seed)),
      );
    }
    const test = wilcoxonSignedRankLess(tpe, random);
    console.info(
      `LightGBM: TPE median best ${median(tpe).toFixed(5)}, random ${median(random).toFixed(5)}; ` +
        `TPE better on ${tpe.filter((v, i) => v < random[i]).length}/${SEEDS} seeds; W+ = ${test.wPlus}, p = ${test.pLess.toExponential(3)}; ` +
        `${fits} fits in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(test.n).toBeGreaterThanOrEqual(SEEDS - 1);
    expect(test.pLess).toBeLessThan(ALPHA);
  });
});
