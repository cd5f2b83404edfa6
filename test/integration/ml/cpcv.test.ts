import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src-main/engine/engine';
import { pathPredictions } from '../../../src-main/engine/evaluation/cv/cvPaths';
import { decodeArtifact, type CvPathsArtifact, type CvResult, type OofRow } from '../../../src-main/shared/results';
import { FAST, call, openMlEngine, runJobResult } from './mlWorkspace';

/** The stored artifact of a run, parsed by its schema. */
async function stored<K extends 'oof.csv' | 'paths.json' | 'folds.json'>(engine: Engine, runId: string, name: K) {
  const text = await engine.runs.artifact(runId, name);
  expect(text, name).toBeDefined();
  const decoded = decodeArtifact(name, text!);
  if (!decoded.ok) throw new Error(`${name}: ${decoded.issue}`);
  return decoded.data;
}

describe('ml cv --scheme cpcv: combinatorially purged CV on the demo league', () => {
  let engine: Engine;
  let cleanup: () => Promise<void>;
  let cv: CvResult;
  let oof: OofRow[];
  let paths: CvPathsArtifact;
  beforeAll(async () => {
    ({ engine, cleanup } = await openMlEngine());
    // Three seasons in 6 groups (half a season each), 2 test groups per split: 15 splits, 5 paths. Features read
    // 30 days back, so the month after every test group is purged; the embargo takes the day after it.
    cv = await runJobResult(engine, 'ml.cv', {
      features: 'default',
      target: 'home_win',
      seasons: '2010-2012',
      scheme: 'cpcv',
      groups: 6,
      testGroups: 2,
      gap: 1,
      embargo: 1,
      name: 'cpcv-demo',
      ...FAST,
    });
    oof = await stored(engine, cv.runId, 'oof.csv');
    paths = await stored(engine, cv.runId, 'paths.json');
  });
  afterAll(async () => cleanup());

  it('trains one fold per split on both sides of its test groups, with purged and embargoed games counted on the real folds', async () => {
    expect(cv.scheme).toBe('cpcv');
    expect(cv.folds).toHaveLength(15);
    const games = paths.groups.reduce((a, g) => a + g.games, 0);
    expect(cv.metrics.games).toBe(games);
    for (const f of cv.folds) {
      // Every game is tested, trains (fit or inner hold-out), or was dropped by the guards, exactly once.
      expect(f.trainGames + f.innerValidGames + f.purged + f.embargoed + f.testGames, `fold ${f.index + 1}`).toBe(games);
      expect(f.testGames).toBe(f.testGroups!.reduce((a, g) => a + paths.groups[g].games, 0));
      expect(f.testWindows!.map((w) => [w.start, w.end])).toEqual(f.testGroups!.map((g) => [paths.groups[g].start, paths.groups[g].end]));
      expect(f.innerValidGames).toBeGreaterThan(0);
    }
    expect(cv.folds.reduce((a, f) => a + f.purged, 0)).toBeGreaterThan(0);
    expect(cv.folds.reduce((a, f) => a + f.embargoed, 0)).toBeGreaterThan(0);
    // Groups are 0-based half seasons (group 2 = the first half of 2011). Testing groups 2 and 4, each ends mid-season
    // with a training group right after it: the next day's games are embargoed, and the following month, whose
    // features read the test group, is purged.
    const mid = cv.folds.find((f) => f.testGroups!.join() === '2,4')!;
    expect(mid.embargoed).toBeGreaterThan(0);
    expect(mid.purged).toBeGreaterThan(0);
    // Training on both sides: some split trains on games before its first test group and after its last.
    const both = cv.folds.find((f) => f.testGroups!.join() === '1,3')!;
    expect(both.trainStart < both.testStart && both.trainEnd > both.testEnd).toBe(true);
    // folds.json and the child runs say the same.
    expect((await stored(engine, cv.runId, 'folds.json')).folds).toEqual(cv.folds);
    const run = await engine.runs.get(cv.runId);
    expect(run.params).toMatchObject({ scheme: 'cpcv', groups: 6, testGroups: 2, splits: 15, paths: 5, gap: 1, embargo: 1 });
    expect(run.children.filter((c) => c.kind === 'cv-fold')).toHaveLength(15);
  });

  it('stores paths.json and oof.csv that agree: each game once per split that tested its group, every path complete', () => {
    expect(paths.testGroups).toBe(2);
    expect(paths.splits).toHaveLength(15);
    expect(paths.paths).toHaveLength(5);
    const games = paths.groups.reduce((a, g) => a + g.games, 0);
    expect(oof).toHaveLength(games * 5);
    const groupOf = (date: string) => paths.groups.findIndex((g) => date >= g.start && date <= g.end);
    for (const r of oof) expect(paths.splits[r.fold - 1].testGroups).toContain(groupOf(r.date));
    const assembled = pathPredictions(oof, paths);
    expect(assembled).toHaveLength(5);
    const byRow = new Map(oof.map((r) => [`${r.gameId}:${r.fold}`, r.p]));
    assembled.forEach((path, j) => {
      expect(path.size).toBe(games);
      for (const r of oof.filter((x) => x.fold === paths.paths[j][groupOf(x.date)] + 1))
        expect(path.get(r.gameId)).toBe(byRow.get(`${r.gameId}:${r.fold}`));
    });
    // The headline log loss is the mean over paths, which is the log loss over every out-of-fold row.
    expect(cv.metricsOn).toBe('mean over paths');
    const pooled = oof.reduce((a, r) => a - (r.label * Math.log(r.p) + (1 - r.label) * Math.log(1 - r.p)), 0) / oof.length;
    expect(cv.metrics.logLoss).toBeCloseTo(pooled, 9);
  });

  it('refuses backtest --run on a cpcv run, saying why and where every path is bet, before any run is recorded', async () => {
    const before = (await engine.runs.list({ kind: 'backtest', limit: 100 })).length;
    const err = await call(engine, 'ml.backtest', { run: cv.runId.slice(0, 8), seasons: '2012' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CV_RUN_HAS_PATHS', kind: 'usage' });
    expect((err as Error).message).toMatch(/CPCV run has several predictions per game.*bullpen ml validate` bets every path/);
    expect((await engine.runs.list({ kind: 'backtest', limit: 100 })).length).toBe(before);
  });

  it('refuses groups with another scheme, k ≥ N and too many splits before a job starts', async () => {
    const before = (await engine.runs.list({ kind: 'cv', limit: 100 })).length;
    const spec = { features: 'default', target: 'home_win', seasons: '2010-2012' };
    const other = await call(engine, 'ml.cv', { ...spec, scheme: 'walk-forward', groups: 6 }).catch((e: unknown) => e);
    expect(other).toMatchObject({ code: 'INVALID_INPUT', kind: 'input' });
    expect((other as Error).message).toMatch(/groups: --groups applies only to --scheme cpcv/);
    await expect(call(engine, 'ml.cv', { ...spec, scheme: 'season-forward', testGroups: 1 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(call(engine, 'ml.cv', { ...spec, scheme: 'cpcv', groups: 4, testGroups: 4 })).rejects.toMatchObject({
      code: 'CV_INVALID_GROUPS',
      kind: 'input',
    });
    await expect(call(engine, 'ml.cv', { ...spec, scheme: 'cpcv', groups: 20, testGroups: 10 })).rejects.toMatchObject({
      code: 'CV_TOO_MANY_SPLITS',
    });
    expect((await engine.runs.list({ kind: 'cv', limit: 100 })).length).toBe(before);
  });
});
