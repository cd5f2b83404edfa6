import { describe, expect, it } from 'vitest';
import {
  bestSoFar,
  decodeStep,
  etaText,
  historyTraces,
  intermediateModes,
  intermediateTraces,
  parallelCoordinates,
  paretoTraces,
  stepLabel,
} from '../../../src-renderer/src/lib/sweeps/sweepCharts';
import { generatedSweepName } from '../../../src-renderer/src/lib/sweeps/sweepName';
import type { SweepTrial } from '../../../src-renderer/src/lib/sweeps/sweepService.svelte';
import type { SearchSpace } from '../../../src-main/shared/sweep/distributions';
import { foldEndStep, intermediateStep } from '../../../src-main/shared/sweep/trials';

function trial(number: number, state: SweepTrial['state'], values: number[] | null, extra: Partial<SweepTrial> = {}): SweepTrial {
  return {
    number,
    state,
    params: {},
    values,
    intermediate: [],
    durationMs: 1000,
    prunedAt: null,
    reason: null,
    runId: null,
    attempt: 1,
    startedAt: null,
    finishedAt: null,
    ...extra,
  };
}

describe('sweep charts', () => {
  it('decodes intermediate steps into fold and iteration as trials.ts encodes them', () => {
    expect(decodeStep(intermediateStep(0, 1))).toEqual({ fold: 0, iteration: 1 });
    expect(decodeStep(intermediateStep(3, 250))).toEqual({ fold: 3, iteration: 250 });
    expect(decodeStep(foldEndStep(2))).toEqual({ fold: 2, iteration: null });
    expect(stepLabel(foldEndStep(2))).toBe('after fold 3');
    expect(stepLabel(intermediateStep(1, 40))).toBe('fold 2, iteration 40');
  });

  it('draws the best so far over complete trials only, in trial order and in the objective’s direction', () => {
    const trials = [
      trial(3, 'complete', [0.66]),
      trial(0, 'complete', [0.69]),
      trial(1, 'pruned', [0.6]),
      trial(2, 'fail', null),
      trial(4, 'complete', [0.67]),
      trial(5, 'running', null),
    ];
    expect(bestSoFar(trials, 0, 'minimize')).toEqual({ x: [0, 3, 4], y: [0.69, 0.66, 0.66] });
    expect(bestSoFar(trials, 0, 'maximize')).toEqual({ x: [0, 3, 4], y: [0.69, 0.69, 0.69] });

    const traces = historyTraces(trials, 'logLoss', 0);
    const byName = Object.fromEntries(traces.map((t) => [t.name, t]));
    expect(Object.keys(byName)).toEqual(['complete', 'best so far', 'pruned', 'failed (no value)']);
    expect(byName.complete.x).toEqual([0, 3, 4]);
    expect(byName.pruned.x).toEqual([1]);
    // A failed trial has no value: it is marked along the worst value seen, where it cannot be mistaken for a good one.
    expect(byName['failed (no value)'].x).toEqual([2]);
    expect(byName['failed (no value)'].y).toEqual([0.69]);
  });

  it('joins the Pareto front in order of the first objective and keeps dominated trials apart', () => {
    const trials = [trial(0, 'complete', [0.7, 0.01]), trial(1, 'complete', [0.65, -0.02]), trial(2, 'complete', [0.72, -0.05])];
    const front = [
      { trialNumber: 0, params: {}, values: [0.7, 0.01] },
      { trialNumber: 1, params: {}, values: [0.65, -0.02] },
    ];
    const [dominated, line] = paretoTraces(trials, front, ['logLoss', 'roi']);
    expect(dominated.x).toEqual([0.72]);
    expect(line.x).toEqual([0.65, 0.7]);
    expect(line.y).toEqual([-0.02, 0.01]);
    expect(paretoTraces(trials, front, ['logLoss'])).toEqual([]);
  });

  it('lays folds end to end for iteration curves and counts folds for fold-end curves', () => {
    const trials = [
      trial(0, 'complete', [0.68], {
        intermediate: [
          { step: intermediateStep(0, 1), value: 0.69 },
          { step: intermediateStep(0, 2), value: 0.685 },
          { step: foldEndStep(0), value: 0.684 },
          { step: intermediateStep(1, 1), value: 0.688 },
          { step: foldEndStep(1), value: 0.682 },
        ],
      }),
      trial(1, 'pruned', [0.7], { intermediate: [{ step: foldEndStep(0), value: 0.7 }], prunedAt: foldEndStep(0) }),
    ];
    expect(intermediateModes(trials)).toEqual(['fold', 'iteration']);
    const folds = intermediateTraces(trials, 'fold');
    expect(folds.map((t) => [t.name, t.x, t.y])).toEqual([
      ['trial 0', [1, 2], [0.684, 0.682]],
      ['trial 1 (pruned)', [1], [0.7]],
    ]);
    expect(folds[1].line?.dash).toBe('dash');
    const iterations = intermediateTraces(trials, 'iteration');
    // Fold 0 ran 2 iterations, so fold 1's first iteration sits at 3.
    expect(iterations.map((t) => t.x)).toEqual([[1, 2, 3]]);
  });

  it('scales parallel coordinates to the space: log axes geometrically, categories evenly, a missing conditional parameter as a gap', () => {
    const space: SearchSpace = {
      params: [
        { name: 'learning_rate', distribution: { type: 'float', low: 0.01, high: 0.25, log: true, step: null } },
        { name: 'boosting', distribution: { type: 'categorical', choices: ['gbdt', 'dart', 'goss'] } },
        {
          name: 'drop_rate',
          distribution: { type: 'float', low: 0, high: 0.5, log: false, step: null },
          when: { param: 'boosting', in: ['dart'] },
        },
      ],
    };
    const trials = [
      trial(0, 'complete', [0.7], { params: { learning_rate: 0.05, boosting: 'gbdt' } }),
      trial(1, 'complete', [0.6], { params: { learning_rate: 0.25, boosting: 'dart', drop_rate: 0.25 } }),
      trial(2, 'pruned', [0.8], { params: { learning_rate: 0.01, boosting: 'goss' } }),
    ];
    const { axes, lines } = parallelCoordinates(trials, space, 'logLoss', 0);
    expect(axes.map((a) => a.name)).toEqual(['learning_rate (log)', 'boosting', 'drop_rate', 'log loss']);
    expect(lines.map((l) => l.number)).toEqual([0, 1]);
    expect(lines[0].positions[0]).toBeCloseTo(0.5, 10); // 0.05 is the geometric middle of 0.01 and 0.25
    expect(lines[0].positions.slice(1)).toEqual([0, null, 1]);
    expect(lines[1].positions.slice(1)).toEqual([0.5, 0.5, 0]);
    expect(lines.map((l) => [l.best, l.rank])).toEqual([
      [false, 1],
      [true, 0],
    ]);
  });

  it('tells the time left from the progress so far, and nothing before there is enough to tell', () => {
    const start = '2025-01-01T00:00:00.000Z';
    const t0 = Date.parse(start);
    expect(etaText(start, 0.25, t0 + 10_000)).toBe('about 30 s');
    expect(etaText(start, 0.25, t0 + 30_000)).toBe('about 1 min 30 s');
    expect(etaText(start, 0.5, t0 + 150_000)).toBe('about 2 min 30 s');
    expect(etaText(start, 0, t0 + 30_000)).toBeNull();
    expect(etaText(null, 0.5, t0)).toBeNull();
  });

  it('names an unnamed sweep by its start time', () => {
    expect(generatedSweepName(new Date(2025, 3, 1, 14, 2, 33).getTime())).toBe('sweep-20250401-140233');
  });
});
