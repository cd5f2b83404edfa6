import { describe, expect, it } from 'vitest';
import { BullpenError } from '../../../src-main/shared/errors';
import { prunerSpecSchema } from '../../../src-main/shared/sweep/pruning';
import {
  foldEndStep,
  intermediateStep,
  type Direction,
  type FrozenTrial,
  type IntermediatePoint,
} from '../../../src-main/shared/sweep/trials';
import type { PruneContext } from '../../../src-workers/compute/sweep/pruner';
import {
  crc32,
  describeStep,
  HyperbandPruner,
  makePruner,
  MedianPruner,
  percentileOf,
  SuccessiveHalvingPruner,
} from '../../../src-workers/compute/sweep/pruners';

type Point = [step: number, value: number];
const pts = (points: Point[]): IntermediatePoint[] => points.map(([step, value]) => ({ step, value }));

function trial(number: number, state: FrozenTrial['state'], points: Point[]): FrozenTrial {
  const intermediate = pts(points);
  return {
    number,
    state,
    params: {},
    values: state === 'complete' ? [intermediate[intermediate.length - 1]?.value ?? 0] : null,
    intermediate,
    durationMs: 1,
    prunedAt: state === 'pruned' ? (intermediate[intermediate.length - 1]?.step ?? null) : null,
    reason: null,
  };
}

/** The context of a trial that has just reported the last of `own`. */
function ctx(own: Point[], reference: FrozenTrial[], direction: Direction = 'minimize', trialNumber = 1000, seed = 7): PruneContext {
  const points = pts(own);
  const last = points[points.length - 1];
  return { trialNumber, direction, step: last.step, value: last.value, own: points, reference, seed };
}

const end = foldEndStep;
const it_ = intermediateStep;

/** Complete trials numbered from `from`, each reporting `value` at `step` (and nothing else). */
const completeAt = (step: number, values: number[], from = 0): FrozenTrial[] =>
  values.map((v, i) => trial(from + i, 'complete', [[step, v]]));

describe('step names in reasons', () => {
  it('counts folds from 1 and names the fold end and the iteration', () => {
    // Step 2·10000 + 9999 is fold index 2's end, the third fold; 1·10000 + 60 is fold index 1, iteration 60.
    expect(describeStep(end(2))).toBe('fold 3 end');
    expect(describeStep(it_(1, 60))).toBe('fold 2 iteration 60');
  });

  it('interpolates percentiles linearly between order statistics', () => {
    // Sorted [1, 2, 3, 4]: the 50th percentile sits at position 1.5 → 2.5; the 25th at 0.75 → 1.75.
    expect(percentileOf([4, 1, 3, 2], 50)).toBe(2.5);
    expect(percentileOf([4, 1, 3, 2], 25)).toBe(1.75);
  });
});

describe('median pruner', () => {
  const onFold = new MedianPruner({ startupTrials: 5, warmupSteps: 50, intervalSteps: 10, on: 'fold' });
  // Five complete trials at fold 1's end: 0.60 0.62 0.64 0.66 0.68, median 0.64.
  const five = completeAt(end(0), [0.6, 0.62, 0.64, 0.66, 0.68]);

  it('prunes a trial worse than the median at a fold end and keeps a better one', () => {
    // 0.70 > 0.64: worse than the median, pruned there; 0.61 < 0.64 is kept; 0.64 itself is not worse (Optuna prunes only when strictly worse).
    const why = onFold.shouldPrune(ctx([[end(0), 0.7]], five));
    expect(why).toBe('median pruner: 0.7 at fold 1 end is worse than the median 0.64 of 5 complete trials');
    expect(onFold.shouldPrune(ctx([[end(0), 0.61]], five))).toBeNull();
    expect(onFold.shouldPrune(ctx([[end(0), 0.64]], five))).toBeNull();
  });

  it('waits for startupTrials complete trials; pruned and failed ones do not count', () => {
    // Four complete and three pruned trials: 4 < 5 complete, nothing is pruned however bad the value.
    const pruned = [7, 8, 9].map((n) => trial(n, 'pruned', [[end(0), 0.5]]));
    const fewer = [...five.slice(0, 4), ...pruned];
    expect(onFold.shouldPrune(ctx([[end(0), 5]], fewer))).toBeNull();
    // The fifth complete trial makes five: the median of the complete ones, 0.64, now applies (pruned trials' 0.5 is not in it).
    const why = onFold.shouldPrune(ctx([[end(0), 0.65]], [...five, ...pruned]));
    expect(why).toContain('worse than the median 0.64 of 5 complete trials');
  });

  it('with startupTrials 0 still needs one complete trial (as Optuna)', () => {
    const none = new MedianPruner({ startupTrials: 0, warmupSteps: 0, intervalSteps: 1, on: 'fold' });
    expect(none.shouldPrune(ctx([[end(0), 9]], []))).toBeNull();
    // One complete trial at 0.5: the median of one value is itself, 9 > 0.5.
    expect(none.shouldPrune(ctx([[end(0), 9]], completeAt(end(0), [0.5])))).toContain('median 0.5 of 1 complete trials');
  });

  /** Reference trials reporting every 10th iteration of fold 0 (10…200) at a flat 0.50 + 0.01·k for trial k. */
  const curves = [0, 1, 2, 3, 4].map((k) =>
    trial(
      k,
      'complete',
      Array.from({ length: 20 }, (_, i): Point => [it_(0, 10 * (i + 1)), 0.5 + 0.01 * k]),
    ),
  );
  const badCurve = (upTo: number, fold = 0): Point[] => Array.from({ length: upTo / 10 }, (_, i): Point => [it_(fold, 10 * (i + 1)), 0.9]);

  it('does not judge iterations before the warm-up and prunes a bad trial at the first one after', () => {
    const p = new MedianPruner({ startupTrials: 5, warmupSteps: 50, intervalSteps: 10, on: 'iteration' });
    // The references' median at every step is trial 2's 0.52; the bad trial is at 0.9 everywhere.
    // Iterations 10…40 are under the 50-iteration warm-up: not judged. Iteration 50 is the first judged: pruned.
    for (const upTo of [10, 20, 30, 40]) expect(p.shouldPrune(ctx(badCurve(upTo), curves))).toBeNull();
    expect(p.shouldPrune(ctx(badCurve(50), curves))).toBe(
      'median pruner: the best value 0.9 of fold 1 up to iteration 50 is worse than the median 0.52 of 5 complete trials at fold 1 iteration 50',
    );
  });

  it('judges one reported iteration per interval, counted from the warm-up', () => {
    const p = new MedianPruner({ startupTrials: 5, warmupSteps: 50, intervalSteps: 30, on: 'iteration' });
    // Windows start at 50, 80, 110, …; the first iteration reported in each window is judged:
    // 50 (previous 40 < 50), 80 (previous 70 < 80), 110; at 60 and 70 the previous report (50, 60) is already in the window.
    const judged = [50, 60, 70, 80, 90, 100, 110].filter((upTo) => p.shouldPrune(ctx(badCurve(upTo), curves)) !== null);
    expect(judged).toEqual([50, 80, 110]);
    // Reports at 50, 70, 90 only (80 skipped): at 90 the window [80, 110) had no report yet, so 90 is judged.
    const sparse: Point[] = [50, 70, 90].map((i): Point => [it_(0, i), 0.9]);
    expect(p.shouldPrune(ctx(sparse.slice(0, 2), curves))).toBeNull();
    expect(p.shouldPrune(ctx(sparse, curves))).not.toBeNull();
  });

  it('compares the best value of the fold so far, not the last one, and not other folds', () => {
    const p = new MedianPruner({ startupTrials: 5, warmupSteps: 50, intervalSteps: 10, on: 'iteration' });
    // At iteration 50 the trial had 0.45 (better than the median 0.52), then 0.9 at 60: its best so far, 0.45, is not worse.
    const dipped: Point[] = [...badCurve(40), [it_(0, 50), 0.45], [it_(0, 60), 0.9]];
    expect(p.shouldPrune(ctx(dipped, curves))).toBeNull();
    // Fold 0 at 0.1 throughout, then fold 1 at 0.9: at fold 2 iteration 50 only fold 1's values count, 0.9 > the references' 0.52 there.
    const refsFold1 = curves.map((t) => ({ ...t, intermediate: t.intermediate.map((q) => ({ step: q.step + 10_000, value: q.value })) }));
    const good0: Point[] = badCurve(200).map(([s]): Point => [s, 0.1]);
    expect(p.shouldPrune(ctx([...good0, [end(0), 0.1], ...badCurve(50, 1)], refsFold1))).toContain('fold 2 iteration 50');
  });

  it('counts only the reference trials that reported the step', () => {
    const p = new MedianPruner({ startupTrials: 5, warmupSteps: 0, intervalSteps: 1, on: 'iteration' });
    // Six complete trials; three early-stopped at iteration 60 of fold 2, three reported 80 with 0.50 0.52 0.54 (median 0.52).
    // At iteration 80, 0.53 > 0.52: pruned, and the reason counts 3 trials. (Had the stopped trials' last values, 0.60–0.62, counted, the median would be 0.57 and 0.53 kept.)
    const stopped = [0.6, 0.61, 0.62].map((v, i) => trial(i, 'complete', [[it_(1, 60), v]]));
    const went = [0.5, 0.52, 0.54].map((v, i) =>
      trial(3 + i, 'complete', [
        [it_(1, 60), v],
        [it_(1, 80), v],
      ]),
    );
    const why = p.shouldPrune(ctx([[it_(1, 80), 0.53]], [...stopped, ...went]));
    expect(why).toContain('median 0.52 of 3 complete trials at fold 2 iteration 80');
    // Iteration 90: no reference trial reported it, so nothing to compare with: kept.
    expect(p.shouldPrune(ctx([[it_(1, 90), 5]], [...stopped, ...went]))).toBeNull();
  });

  it('maximizes: worse means lower, and the best so far is the highest', () => {
    const p = new MedianPruner({ startupTrials: 5, warmupSteps: 0, intervalSteps: 1, on: 'both' });
    // Accuracy at fold 1's end 0.60 … 0.68, median 0.64: 0.62 is below it, pruned; 0.66 is kept.
    expect(p.shouldPrune(ctx([[end(0), 0.62]], five, 'maximize'))).toBe(
      'median pruner: 0.62 at fold 1 end is worse than the median 0.64 of 5 complete trials',
    );
    expect(p.shouldPrune(ctx([[end(0), 0.66]], five, 'maximize'))).toBeNull();
    // Iterations: references flat at 0.50 … 0.54 (median 0.52); the trial had 0.53 at 10 and 0.40 at 20: its best, 0.53, is above the median.
    expect(
      p.shouldPrune(
        ctx(
          [
            [it_(0, 10), 0.53],
            [it_(0, 20), 0.4],
          ],
          curves,
          'maximize',
        ),
      ),
    ).toBeNull();
  });

  it('judges only the steps `on` names', () => {
    const iterOnly = new MedianPruner({ startupTrials: 5, warmupSteps: 0, intervalSteps: 1, on: 'iteration' });
    const both = new MedianPruner({ startupTrials: 5, warmupSteps: 0, intervalSteps: 1, on: 'both' });
    // 0.7 at fold 1's end is worse than the median 0.64, but an iteration-only pruner never judges fold ends.
    expect(iterOnly.shouldPrune(ctx([[end(0), 0.7]], five))).toBeNull();
    expect(both.shouldPrune(ctx([[end(0), 0.7]], five))).not.toBeNull();
    // 0.9 at iteration 10 is worse than 0.52, but a fold-only pruner never judges iterations.
    expect(onFold.shouldPrune(ctx(badCurve(60), curves))).toBeNull();
    expect(both.shouldPrune(ctx(badCurve(10), curves))).not.toBeNull();
  });

  it('prunes a NaN value once it may judge', () => {
    expect(onFold.shouldPrune(ctx([[end(0), Number.NaN]], five))).toContain('NaN');
  });
});

describe('successive halving (η = 3, rungs at 1, 3, 9 folds)', () => {
  const sh = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 3, minEarlyStoppingRate: 0 });
  // Eight reference trials reached fold 1's end (resource 1, rung 0) with 0.50, 0.51, …, 0.57; the first three went on to
  // fold 3's end (resource 3, rung 1) with 0.55, 0.56, 0.58; the others were pruned at rung 0.
  const rung0 = [0.5, 0.51, 0.52, 0.53, 0.54, 0.55, 0.56, 0.57];
  const rung1 = [0.55, 0.56, 0.58];
  const reference = rung0.map((v, i) =>
    i < 3
      ? trial(i, 'complete', [
          [end(0), v],
          [end(1), v],
          [end(2), rung1[i]],
          [end(3), rung1[i]],
          [end(4), rung1[i]],
        ])
      : trial(i, 'pruned', [[end(0), v]]),
  );

  it('promotes from rung 0 only within the top third of the nine values there', () => {
    // With the trial there are 9 values: ⌊9/3⌋ = 3 promoted, so the cut is the 3rd smallest.
    // 0.515 → sorted 0.50, 0.51, 0.515: it is the 3rd, promoted. 0.525 → 0.50, 0.51, 0.52 are ahead: the cut is 0.52, pruned.
    expect(sh.shouldPrune(ctx([[end(0), 0.515]], reference))).toBeNull();
    expect(sh.shouldPrune(ctx([[end(0), 0.525]], reference))).toBe(
      'successive halving: 0.525 at fold 1 end (rung 0, 1 fold) is not in the top 1/3 of the 9 trials at that rung (it needed ≤ 0.52)',
    );
  });

  it('judges nothing between rungs and nothing on iterations', () => {
    // Fold 2's end is resource 2: between rung 0 (1) and rung 1 (3). Iteration steps are never a rung.
    expect(
      sh.shouldPrune(
        ctx(
          [
            [end(0), 0.5],
            [end(1), 9],
          ],
          reference,
        ),
      ),
    ).toBeNull();
    expect(sh.shouldPrune(ctx([[it_(0, 10), 9]], reference))).toBeNull();
  });

  it('at rung 1 compares with the trials that reached it, and with fewer than η values asks for the best', () => {
    // Rung 1 holds 0.55, 0.56, 0.58 and the trial: 4 values, ⌊4/3⌋ − 1 = 0, so only the smallest is promoted.
    // 0.54 is the smallest: promoted. 0.555 is behind 0.55: pruned, cut 0.55.
    const upTo = (v: number): Point[] => [
      [end(0), 0.5],
      [end(1), 0.5],
      [end(2), v],
    ];
    expect(sh.shouldPrune(ctx(upTo(0.54), reference))).toBeNull();
    expect(sh.shouldPrune(ctx(upTo(0.555), reference))).toBe(
      'successive halving: 0.555 at fold 3 end (rung 1, 3 folds) is not in the top 1/3 of the 4 trials at that rung (it needed ≤ 0.55)',
    );
  });

  it('starts at minResource × η^s with a minimum early-stopping rate s', () => {
    const late = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 3, minEarlyStoppingRate: 1 });
    // s = 1: the first rung is at 3 folds, so fold 1's end is never judged, however bad.
    expect(late.shouldPrune(ctx([[end(0), 9]], reference))).toBeNull();
    // At fold 3's end it is rung 0 of this pruner, with the same 3 reference values there as above: 0.555 is pruned.
    expect(
      late.shouldPrune(
        ctx(
          [
            [end(0), 0.5],
            [end(1), 0.5],
            [end(2), 0.555],
          ],
          reference,
        ),
      ),
    ).toContain('(rung 0, 3 folds)');
  });

  it('maximizes: the top third are the largest', () => {
    // Accuracies 0.50 … 0.57 at rung 0 plus the trial: the 3rd largest is the cut. 0.555: 0.57, 0.56, 0.555 → promoted; 0.545: 0.57, 0.56, 0.55 ahead → pruned, cut 0.55.
    expect(sh.shouldPrune(ctx([[end(0), 0.555]], reference, 'maximize'))).toBeNull();
    expect(sh.shouldPrune(ctx([[end(0), 0.545]], reference, 'maximize'))).toContain('it needed ≥ 0.55');
  });
});

describe('hyperband', () => {
  it('has ⌊log_η(max/min)⌋ + 1 brackets with budgets ⌈n·η^s/(s+1)⌉', () => {
    // 5 folds, η 3: 3^0 = 1 ≤ 5, 3^1 = 3 ≤ 5, 3^2 = 9 > 5 → 2 brackets. Bracket 0 has s = 1: ⌈2·3/2⌉ = 3; bracket 1 has s = 0: ⌈2·1/1⌉ = 2.
    const five = new HyperbandPruner({ minResource: 1, maxResource: 5, reductionFactor: 3 });
    expect(five.brackets).toBe(2);
    expect(five.budgets).toEqual([3, 2]);
    // 9 folds: 3^2 = 9 ≤ 9 → 3 brackets; s = 2: ⌈3·9/3⌉ = 9, s = 1: ⌈3·3/2⌉ = 5, s = 0: ⌈3·1/1⌉ = 3.
    const nine = new HyperbandPruner({ minResource: 1, maxResource: 9, reductionFactor: 3 });
    expect(nine.brackets).toBe(3);
    expect(nine.budgets).toEqual([9, 5, 3]);
  });

  it('hashes with CRC-32 as Python does', () => {
    // The CRC-32 check value of "123456789" (IEEE 802.3) is 0xCBF43926; the others come from
    // test/fixtures/sweep/crc32.py (Python's binascii.crc32, which Optuna's HyperbandPruner uses).
    expect(crc32('123456789')).toBe(0xcbf43926);
    expect(crc32('42_0')).toBe(1645801507);
    expect(crc32('42_1')).toBe(354402485);
    expect(crc32('7_123')).toBe(826554047);
  });

  it('assigns brackets deterministically, covering all of them in proportion to the budgets', () => {
    const a = new HyperbandPruner({ minResource: 1, maxResource: 9, reductionFactor: 3 });
    const b = new HyperbandPruner({ minResource: 1, maxResource: 9, reductionFactor: 3 });
    const counts = [0, 0, 0];
    for (let n = 0; n < 3400; n++) {
      const bracket = a.bracketOf(42, n);
      expect(b.bracketOf(42, n)).toBe(bracket);
      counts[bracket]++;
    }
    // Budgets 9 : 5 : 3 of 17 → expected 1800, 1000, 600 of 3400. A uniform hash gives binomial counts with sd
    // at most √(3400·¼) ≈ 29; 150 is over 5 sd, so a wrong weighting fails and a right one passes.
    expect(Math.abs(counts[0] - 1800)).toBeLessThan(150);
    expect(Math.abs(counts[1] - 1000)).toBeLessThan(150);
    expect(Math.abs(counts[2] - 600)).toBeLessThan(150);
    // The bracket follows the seed too: some trial changes bracket under another seed.
    expect(Array.from({ length: 50 }, (_, n) => a.bracketOf(42, n) !== a.bracketOf(43, n)).some(Boolean)).toBe(true);
  });

  it('compares a trial only with the reference trials of its bracket', () => {
    const hb = new HyperbandPruner({ minResource: 1, maxResource: 5, reductionFactor: 3 });
    const seed = 7;
    const inBracket = (bracket: number, count: number, from: number) => {
      const out: number[] = [];
      for (let n = from; out.length < count; n++) if (hb.bracketOf(seed, n) === bracket) out.push(n);
      return out;
    };
    const [me, ...mates] = inBracket(0, 3, 0);
    const others = inBracket(1, 6, 0);
    // Bracket 0 (s = 0, first rung at 1 fold) holds two trials at fold 1's end, 0.60 and 0.61; bracket 1 six at 0.40 … 0.45.
    const reference = [
      ...mates.map((n, i) => trial(n, 'complete', [[end(0), 0.6 + 0.01 * i]])),
      ...others.map((n, i) => trial(n, 'complete', [[end(0), 0.4 + 0.01 * i]])),
    ].sort((x, y) => x.number - y.number);
    // In its bracket the trial's 0.55 meets 0.60 and 0.61: 3 values < η, it must be the smallest, and it is: kept.
    // (Against all nine, ⌊9/3⌋ = 3 are promoted, the cut would be 0.42 and 0.55 pruned.)
    expect(hb.shouldPrune(ctx([[end(0), 0.55]], reference, 'minimize', me, seed))).toBeNull();
    // 0.65 is behind 0.60 in its bracket: pruned, and the reason names the bracket.
    expect(hb.shouldPrune(ctx([[end(0), 0.65]], reference, 'minimize', me, seed))).toBe(
      'hyperband bracket 0 of 2: successive halving: 0.65 at fold 1 end (rung 0, 1 fold) is not in the top 1/3 of the 3 trials at that rung (it needed ≤ 0.6)',
    );
    // A bracket-1 trial (s = 1) has its first rung at 3 folds: at fold 1's end it is not judged, however bad.
    expect(hb.shouldPrune(ctx([[end(0), 9]], reference, 'minimize', inBracket(1, 7, 0)[6], seed))).toBeNull();
  });
});

describe('makePruner', () => {
  const spec = (v: unknown) => prunerSpecSchema.parse(v);
  const bad = ctx([[end(0), 0.7]], completeAt(end(0), [0.6, 0.62, 0.64, 0.66, 0.68]));

  it('builds each pruner from its spec, with the spec defaults', () => {
    // The default median spec judges fold ends after 5 complete trials: 0.7 > the median 0.64 is pruned.
    expect(makePruner(spec({ type: 'median' }), 5).shouldPrune(bad)).toContain('median pruner');
    expect(makePruner(spec({ type: 'successive-halving' }), 5).name).toBe('successive-halving');
    // Hyperband's maximum resource defaults to the fold count: 9 folds with η 3 give 3 brackets, 5 give 2.
    expect((makePruner(spec({ type: 'hyperband' }), 9) as HyperbandPruner).brackets).toBe(3);
    expect((makePruner(spec({ type: 'hyperband' }), 5) as HyperbandPruner).brackets).toBe(2);
    expect((makePruner(spec({ type: 'hyperband', maxResource: 27 }), 5) as HyperbandPruner).brackets).toBe(4);
  });

  it("'none' never prunes", () => {
    const none = makePruner(spec({ type: 'none' }), 5);
    expect(none.shouldPrune(bad)).toBeNull();
    expect(none.shouldPrune(ctx([[end(0), Number.NaN]], []))).toBeNull();
  });

  it('refuses a hyperband whose maximum resource is below its minimum', () => {
    const make = () => makePruner(spec({ type: 'hyperband', minResource: 6 }), 5);
    expect(make).toThrow(BullpenError);
    expect(make).toThrow(/maxResource \(5\) ≥ minResource \(6\)/);
  });
});
