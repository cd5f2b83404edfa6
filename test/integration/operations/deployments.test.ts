import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Engine } from '../../../src-main/engine/engine';
import { liveClock, ReplayClock } from '../../../src-main/engine/operations/clock';
import type { DuckDbDeployments } from '../../../src-main/engine/operations/deployments/duckDbDeployments';
import type { Scope } from '../../../src-main/engine/operations/operationsTypes';
import type { StoredModel } from '../../../src-main/engine/tracking/modelService';
import { DEFAULT_OPS_POLICY } from '../../../src-main/shared/operations/opsPolicy';
import { BullpenError } from '../../../src-main/shared/errors';
import { FAST, openMlEngine, runJobResult } from '../ml/mlWorkspace';
import { demoDay, deploymentsOf, promoteToProduction, scheduleFile } from './deploymentFixtures';

interface LogRow {
  [key: string]: unknown;
  seq: number;
  game_id: string;
  p: number;
  features: string;
  price_home: number | null;
  price_away: number | null;
  kind: string;
  corrects: number | null;
  via: string;
  reason: string | null;
  replay_id: string | null;
  predicted_ms: number;
}

async function refusedWith(promise: Promise<unknown>): Promise<BullpenError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof BullpenError)) throw new Error(`expected a BullpenError, got ${String(err)}`);
  return err;
}

const start = (model: string, name?: string) => ({ model, name, policy: DEFAULT_OPS_POLICY, policyText: null });
const nextDay = (day: string): string => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

describe('deployments and the prediction log over a demo workspace', () => {
  let engine: Engine;
  let cleanup: () => Promise<void>;
  let deployments: DuckDbDeployments;
  let model: StoredModel;
  let day: { day: string; games: number };
  const live: Scope = { replayId: null, clock: liveClock };

  const logRows = (deploymentId: string) =>
    engine.workspace.all<LogRow>(
      `SELECT seq, game_id, p, features::VARCHAR AS features, price_home, price_away, kind, corrects, via, reason, replay_id,
         epoch_ms(predicted_at) AS predicted_ms FROM prediction_log WHERE deployment_id = ? ORDER BY seq`,
      [deploymentId],
    );

  /** Mean closing moneyline over books, per game: what a replay's log must hold as the price. */
  const closes = async (gameIds: string[]) =>
    new Map(
      (
        await engine.workspace.all<{ game_id: string; h: number; a: number }>(
          `SELECT game_id, avg(home_price) AS h, avg(away_price) AS a FROM odds WHERE market = 'moneyline' AND is_close
           AND game_id IN (${gameIds.map(() => '?').join(', ')}) GROUP BY game_id`,
          gameIds,
        )
      ).map((r) => [r.game_id, r]),
    );

  beforeAll(async () => {
    ({ engine, cleanup } = await openMlEngine());
    await runJobResult(engine, 'ml.train', { train: '2010', valid: '2011', name: 'dep-a', ...FAST });
    model = await engine.models.get('dep-a');
    deployments = deploymentsOf(engine);
    day = await demoDay(engine, 2012, 60);
  });
  afterAll(async () => cleanup());

  describe('a replay of a plain trained model: the clock decides what is visible', () => {
    const clock = new ReplayClock(new Date('2000-01-01T00:00:00Z'));
    const scope: Scope = { replayId: 'replay-test', clock };
    let deploymentId: string;
    let firstSeqs: number[];

    it('deploys a trained model that is not registered (version null), only inside the replay', async () => {
      clock.set(new Date(`${day.day}T12:00:00Z`));
      const dep = await deployments.start(start('dep-a'), scope);
      deploymentId = dep.id;
      expect(dep).toMatchObject({
        name: 'dep-a',
        modelName: 'dep-a',
        version: null,
        sourceModel: 'dep-a',
        status: 'active',
        replayId: 'replay-test',
      });
      expect(dep.createdAt).toBe(`${day.day}T12:00:00.000Z`);
      expect(await deployments.list({ all: true })).toEqual([]);
      expect((await deployments.get('dep-a', scope)).id).toBe(dep.id);
      expect((await refusedWith(deployments.get('dep-a', live))).code).toBe('DEPLOYMENT_NOT_FOUND');
    });

    it("scores the day's games and appends one row per game: p in (0,1), the model's features by name, the close as the price", async () => {
      const r = await deployments.predict('dep-a', { date: day.day, upcoming: false }, 'replay', scope);
      expect(r.unscored).toEqual([]);
      expect(r.predictions).toHaveLength(day.games);
      const rows = await logRows(deploymentId);
      expect(rows).toHaveLength(day.games);
      expect(rows.map((x) => x.seq)).toEqual(r.predictions.map((x) => x.seq));
      const close = await closes(rows.map((x) => x.game_id));
      for (const [i, row] of rows.entries()) {
        expect(row.p).toBeGreaterThan(0);
        expect(row.p).toBeLessThan(1);
        expect(row.p).toBe(r.predictions[i].p);
        expect(Object.keys(JSON.parse(row.features) as object)).toEqual(model.featureNames);
        expect(row).toMatchObject({ kind: 'prediction', corrects: null, via: 'replay', replay_id: 'replay-test', reason: null });
        expect(row.predicted_ms).toBe(Date.parse(`${day.day}T12:00:00Z`));
        expect(row.price_home).toBeCloseTo(close.get(row.game_id)?.h as number, 12);
        expect(row.price_away).toBeCloseTo(close.get(row.game_id)?.a as number, 12);
      }
      firstSeqs = rows.map((x) => x.seq);
    });

    it('asking again with nothing changed answers the logged rows instead of duplicating them', async () => {
      const again = await deployments.predict('dep-a', { date: day.day, upcoming: false }, 'replay', scope);
      expect(again.predictions.map((x) => x.seq)).toEqual(firstSeqs);
      expect(await logRows(deploymentId)).toHaveLength(day.games);
      const upcoming = await deployments.predict('dep-a', { date: null, upcoming: true }, 'replay', scope);
      expect(upcoming.predictions.map((x) => x.seq)).toEqual(firstSeqs);
    });

    it('refuses to score a later day: its features would read games the replay has not reached', async () => {
      const later = await demoDay(engine, 2012, 61);
      const r = await deployments.predict('dep-a', { date: later.day, upcoming: false }, 'replay', scope);
      expect(r.predictions).toEqual([]);
      expect(r.unscored).toHaveLength(later.games);
      for (const u of r.unscored) expect(u.reason).toMatch(new RegExp(`dated ${later.day}, not the replay's day ${day.day}`));
      expect(await logRows(deploymentId)).toHaveLength(day.games);
    });

    it("joins outcomes and closing prices only once the clock has passed the games' day", async () => {
      const played = await engine.workspace.value<number>(
        `SELECT count(*) FROM games WHERE strftime(date, '%Y-%m-%d') = ? AND home_score IS NOT NULL`,
        [day.day],
      );
      expect(Number(played)).toBe(day.games); // the workspace knows every result…
      const during = await deployments.predictions(deploymentId, scope, { limit: 100 });
      expect(during).toHaveLength(day.games);
      for (const p of during) expect(p).toMatchObject({ outcome: null, closeHome: null, closeAway: null }); // …the replay's clock does not yet

      clock.set(new Date(`${nextDay(day.day)}T06:00:00Z`));
      const after = await deployments.predictions(deploymentId, scope, { limit: 100 });
      const results = new Map(
        (
          await engine.workspace.all<{ game_id: string; w: number }>(
            `SELECT game_id, CASE WHEN home_score > away_score THEN 1 ELSE 0 END AS w FROM games WHERE strftime(date, '%Y-%m-%d') = ?`,
            [day.day],
          )
        ).map((r) => [r.game_id, Number(r.w)]),
      );
      const close = await closes([...results.keys()]);
      expect(after).toHaveLength(day.games);
      for (const p of after) {
        expect(p.outcome).toBe(results.get(p.gameId));
        expect(p.closeHome).toBeCloseTo(close.get(p.gameId)?.h as number, 12);
        expect(p.gameDate).toBe(day.day);
        expect(p).toMatchObject({ modelName: 'dep-a', version: null, kind: 'prediction', via: 'replay' });
      }
      expect(after.filter((p) => p.outcome === 1).length).toBeGreaterThan(0);
      expect(after.filter((p) => p.outcome === 0).length).toBeGreaterThan(0);
      // Newest first, and the window and limit apply.
      expect(after.map((p) => p.seq)).toEqual([...firstSeqs].reverse());
      expect(await deployments.predictions(deploymentId, scope, { from: nextDay(day.day), limit: 100 })).toEqual([]);
      expect(await deployments.predictions(deploymentId, scope, { limit: 2 })).toHaveLength(2);
    });

    it('a correction is a new row pointing at the one it corrects; the corrected row is never changed', async () => {
      const before = await logRows(deploymentId);
      const corrected = await deployments.correct(firstSeqs[0], 0.42, 'starting pitcher scratched', 'cli', scope);
      expect(corrected).toMatchObject({ kind: 'correction', p: 0.42, gameId: before[0].game_id, deploymentId, via: 'cli' });
      expect(corrected.seq).toBeGreaterThan(Math.max(...firstSeqs));
      const rows = await logRows(deploymentId);
      expect(rows).toHaveLength(day.games + 1);
      expect(rows.slice(0, day.games)).toEqual(before);
      expect(rows.at(-1)).toMatchObject({
        kind: 'correction',
        corrects: firstSeqs[0],
        reason: 'starting pitcher scratched',
        features: before[0].features,
        price_home: before[0].price_home,
      });
      expect((await refusedWith(deployments.correct(firstSeqs[0], 1.5, 'x', 'cli', scope))).code).toBe('BAD_PROBABILITY');
      expect((await refusedWith(deployments.correct(999_999, 0.5, 'x', 'cli', scope))).code).toBe('PREDICTION_NOT_FOUND');
      // A live scope cannot correct a replay's row.
      expect((await refusedWith(deployments.correct(firstSeqs[0], 0.5, 'x', 'cli', live))).code).toBe('PREDICTION_NOT_FOUND');
    });
  });

  describe('live deployments of registered models', () => {
    let tmpDir: string;
    beforeAll(async () => {
      tmpDir = await mkdtemp(join(tmpdir(), 'bullpen-deploy-'));
    });
    afterAll(async () => rm(tmpDir, { recursive: true, force: true }));

    it('refuses a model that is not registered, an unknown name, and a registry name without a production version', async () => {
      const unregistered = await refusedWith(deployments.start(start('dep-a'), live));
      expect(unregistered).toMatchObject({ kind: 'notFound', code: 'MODEL_NOT_REGISTERED' });
      expect(unregistered.message).toMatch(/bullpen registry register dep-a/);
      expect((await refusedWith(deployments.start(start('no-such-model'), live))).code).toBe('REGISTRY_MODEL_NOT_FOUND');

      await engine.registry.register('dep-a', { as: 'champ', actor: 'alice' });
      const noProduction = await refusedWith(deployments.start(start('champ'), live));
      expect(noProduction).toMatchObject({ kind: 'notFound', code: 'NO_PRODUCTION_VERSION' });
      expect(noProduction.message).toMatch(
        /champ has no production version: promote one with `bullpen registry promote champ:1 --to production`/,
      );
      expect(await deployments.list({ all: true })).toEqual([]);
    });

    it('deploys the production version under the registry name, once; a second active deployment of the name is a conflict', async () => {
      await promoteToProduction(engine, 'dep-a', 'champ', 1);
      const dep = await deployments.start(start('champ'), live);
      expect(dep).toMatchObject({ name: 'champ', modelName: 'champ', version: 1, sourceModel: 'dep-a', status: 'active', replayId: null });
      const twice = await refusedWith(deployments.start(start('champ:1'), live));
      expect(twice).toMatchObject({ kind: 'conflict', code: 'DEPLOYMENT_ACTIVE' });
      expect(twice.message).toMatch(/bullpen deploy stop champ/);
      const named = await deployments.start(start('champ:1', 'champ-shadow'), live);
      expect(named).toMatchObject({ name: 'champ-shadow', version: 1 });
      expect((await deployments.list({ all: false })).map((d) => d.name)).toEqual(['champ-shadow', 'champ']);
    });

    it('scores a date live: past games show their outcomes at once; in-sample games are refused with the reason', async () => {
      const r = await deployments.predict('champ', { date: day.day, upcoming: false }, 'cli', live);
      expect(r.predictions).toHaveLength(day.games);
      const log = await deployments.predictions((await deployments.get('champ', live)).id, live, { limit: 100 });
      expect(log).toHaveLength(day.games);
      const close = await closes(log.map((p) => p.gameId));
      for (const p of log) {
        expect(p).toMatchObject({ modelName: 'champ', version: 1, via: 'cli', kind: 'prediction' });
        expect([0, 1]).toContain(p.outcome);
        // Live, the latest quote captured before now and before first pitch: for a past game, each book's close.
        expect(p.priceHome).toBeCloseTo(close.get(p.gameId)?.h as number, 12);
        expect(p.priceAway).toBeCloseTo(close.get(p.gameId)?.a as number, 12);
      }
      // A live clock at noon of that day: the close (5 minutes before first pitch) is not quoted yet; the open is the price.
      const noon: Scope = { replayId: null, clock: { now: () => new Date(`${day.day}T12:00:00Z`), kind: 'live' } };
      await deployments.predict('champ-shadow', { date: day.day, upcoming: false }, 'cli', noon);
      const opens = new Map(
        (
          await engine.workspace.all<{ game_id: string; h: number }>(
            `SELECT game_id, avg(home_price) AS h FROM odds WHERE market = 'moneyline' AND is_open AND strftime(captured_at, '%Y-%m-%d') < ?
             GROUP BY game_id`,
            [day.day],
          )
        ).map((r) => [r.game_id, r.h]),
      );
      const shadowRows = await logRows((await deployments.get('champ-shadow', live)).id);
      expect(shadowRows).toHaveLength(day.games);
      for (const r of shadowRows) {
        expect(r.price_home).toBeCloseTo(opens.get(r.game_id) as number, 12);
        expect(r.price_home).not.toBeCloseTo(close.get(r.game_id)?.h as number, 12);
      }
      const inSample = await demoDay(engine, 2011, 10);
      const refused = await deployments.predict('champ', { date: inSample.day, upcoming: false }, 'cli', live);
      expect(refused.predictions).toEqual([]);
      expect(refused.unscored).toHaveLength(inSample.games);
      expect(refused.unscored[0].reason).toMatch(new RegExp(`on or before ${model.lastTrainingDate}.*model dep-a learned from`));
      const unknown = await deployments.predict('champ', { date: null, upcoming: false, gameIds: ['NOPE201201010'] }, 'cli', live);
      expect(unknown.unscored).toEqual([{ gameId: 'NOPE201201010', reason: 'no such game in the workspace' }]);
    });

    it('refuses an unknown deployment, a stopped one, and a request that names no games', async () => {
      expect((await refusedWith(deployments.predict('ghost', { date: day.day, upcoming: false }, 'cli', live))).code).toBe(
        'DEPLOYMENT_NOT_FOUND',
      );
      expect((await refusedWith(deployments.predict('champ', { date: null, upcoming: false }, 'cli', live))).code).toBe(
        'PREDICT_WHICH_GAMES',
      );
      const stopped = await deployments.stop('champ-shadow', live);
      expect(stopped.status).toBe('stopped');
      expect(stopped.stoppedAt).not.toBeNull();
      const afterStop = await refusedWith(deployments.predict('champ-shadow', { date: day.day, upcoming: false }, 'cli', live));
      expect(afterStop).toMatchObject({ kind: 'conflict', code: 'DEPLOYMENT_STOPPED' });
      expect((await refusedWith(deployments.stop('champ-shadow', live))).code).toBe('DEPLOYMENT_STOPPED');
      expect((await deployments.list({ all: false })).map((d) => d.name)).toEqual(['champ']);
      expect((await deployments.list({ all: true })).map((d) => d.name)).toEqual(['champ-shadow', 'champ']);
    });

    it('scores scheduled games when a games import brings them in, with every active live deployment', async () => {
      const file = await scheduleFile(engine, tmpDir, '2013-04-02', 3);
      const imported = await engine.data.importGames([file], { replaceResults: false });
      expect(imported.inserted).toBe(3);
      const scoring = await deployments.onGamesImported(imported.importId);
      // champ-shadow is stopped and the replay's deployment is not live: only champ scores.
      expect(scoring).toEqual([{ deployment: 'champ', scored: 3, unscored: 0, error: null }]);
      const champ = await deployments.get('champ', live);
      const rows = (await logRows(champ.id)).filter((r) => r.via === 'import');
      expect(rows).toHaveLength(3);
      for (const r of rows) {
        expect(r.p).toBeGreaterThan(0);
        expect(r.p).toBeLessThan(1);
      }
      const log = await deployments.predictions(champ.id, live, { from: '2013-01-01', limit: 10 });
      expect(log.map((p) => p.outcome)).toEqual([null, null, null]); // not played yet
      // The upcoming games of a clock set before them are the same three, answered from the log.
      const early = deploymentsOf(engine);
      const upcoming = await early.predict('champ', { date: null, upcoming: true }, 'cli', {
        replayId: null,
        clock: { now: () => new Date('2013-04-01T12:00:00Z'), kind: 'live' },
      });
      expect(upcoming.predictions.map((p) => p.seq).sort()).toEqual(rows.map((r) => r.seq).sort());
    });
  });
});
