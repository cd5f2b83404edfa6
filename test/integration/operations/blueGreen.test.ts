// Blue-green switches of a deployment's registry version: the health check (the new version's model
// reproduces its validation's probabilities), the registry's gates, one-step rollback, refusals that change
// nothing, and the atomic switch under concurrent POST /api/v1/predict calls to a real `bullpen serve`.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Booster } from '@bullpen/lightgbm';
import { buildDemo } from '../../../src-main/engine/demo/buildDemo';
import { Engine } from '../../../src-main/engine/engine';
import { servingMatrix } from '../../../src-main/engine/modeling/servingMatrix';
import { HEALTH_CHECK_GAMES, HEALTH_CHECK_TOLERANCE, deploySwitchResultSchema } from '../../../src-main/shared/results/blueGreen';
import { deployPredictResultSchema } from '../../../src-main/shared/results/operations';
import { rawExchange } from '../../support/rawHttp';
import { tempWorkspace } from '../../support/waitForEvent';
import { FAST, call, runJobResult } from '../ml/mlWorkspace';
import { LENIENT_POLICY, refusal } from '../registry/registryFixtures';
import { demoDay } from './deploymentFixtures';

const BIN = resolve(__dirname, '../../../bin/bullpen.js');
/** Concurrent requests per wave while the switch runs. */
const WAVE = 8;
/** How close two scorings of the same model on the same features must be (they run the same native code). */
const SAME = 1e-12;

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The built CLI as a child process (not spawnSync: predictions keep flowing while it runs). */
function bullpen(args: string[]): { done: Promise<CliResult> } {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, BULLPEN_WORKSPACE: '', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return { done: new Promise((r) => child.on('close', (code) => r({ code, stdout, stderr }))) };
}

describe('blue-green switches of a deployment', () => {
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;
  let engine: Engine | null = null;
  let gameIds: string[];
  /** Each version's probabilities for the day's games, scored here with the native binding on the backtest's matrix. */
  const expected = new Map<number, Map<string, number>>();
  let greenValidation: string;

  const live = (): Engine => {
    if (!engine) throw new Error('the in-process engine is closed');
    return engine;
  };
  /** What a refused switch must leave as it was: what the deployment serves, every version's stage, the audit trail. */
  const state = async () => {
    const e = live();
    const { deployment } = await call(e, 'deploy.show', { name: 'live' });
    return {
      serving: [deployment.modelName, deployment.version, deployment.sourceModel, deployment.status],
      stages: (await e.registry.show('champ')).map((v) => [v.version, v.stage]),
      audit: (await e.registry.audit('champ')).map((a) => a.hash),
    };
  };

  beforeAll(async () => {
    tmp = await tempWorkspace();
    const e = await Engine.open({ workspacePath: tmp.path });
    engine = e;
    await buildDemo(e.workspace, { seed: 7, firstSeason: 2010, lastSeason: 2012, marketInefficiency: true, scoringShift: false });
    await call(e, 'ml.policy.set', { text: 'autoValidate: false\n' });
    await call(e, 'settings.set', { user: 'alice' });
    await runJobResult(e, 'ml.train', { train: '2010', valid: '2011', name: 'blue', ...FAST });
    await runJobResult(e, 'ml.train', {
      train: '2010',
      valid: '2011',
      name: 'green',
      ...FAST,
      numBoostRound: 60,
      params: { learning_rate: 0.05, min_data_in_leaf: 80 },
    });
    await runJobResult(e, 'ml.train', { train: '2010', valid: '2011', name: 'red', ...FAST, numBoostRound: 20 });
    for (const model of ['blue', 'green', 'red']) await call(e, 'registry.register', { model, as: 'champ' });
    // Both validated on the holdout season 2012 (after their training): their validations keep each game's probability.
    await runJobResult(e, 'ml.validate', { model: 'blue', policy: LENIENT_POLICY });
    greenValidation = (await runJobResult(e, 'ml.validate', { model: 'green', policy: LENIENT_POLICY })).runId;
    await call(e, 'registry.approve', { name: 'champ:1', stage: 'production', comment: 'blue-green test' });
    await call(e, 'registry.promote', { name: 'champ:1', to: 'production' });
    await call(e, 'deploy.start', { model: 'champ', name: 'live' });

    const day = await demoDay(e, 2012, 40, 8);
    gameIds = (
      await e.workspace.all<{ game_id: string }>(`SELECT game_id FROM games WHERE strftime(date, '%Y-%m-%d') = ? ORDER BY game_id`, [
        day.day,
      ])
    ).map((r) => r.game_id);
    for (const [version, name] of [
      [1, 'blue'],
      [2, 'green'],
    ] as const) {
      const model = await e.models.get(name);
      const m = await servingMatrix(e.workspace, model, [2012], false);
      const rows = gameIds.map((id) => m.gameIds.indexOf(id));
      expect(rows.every((i) => i >= 0)).toBe(true);
      const x = new Float64Array(rows.length * m.cols);
      rows.forEach((r, i) => x.set(m.features.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols));
      const booster = Booster.fromModelString(await e.models.text(model));
      const p = booster.predict(x, { rows: rows.length, cols: m.cols });
      booster.free();
      expected.set(version, new Map(gameIds.map((id, i) => [id, p[i]])));
    }
    // The two versions must disagree on every game, or a response could not say which one scored it.
    for (const id of gameIds) expect(Math.abs((expected.get(1)?.get(id) ?? 0) - (expected.get(2)?.get(id) ?? 0))).toBeGreaterThan(1e-6);
  }, 900_000);

  afterAll(async () => {
    await engine?.close();
    await tmp?.cleanup();
  });

  describe('refusals change nothing (in process)', () => {
    it('refuses a rollback when the registry has no earlier production version', async () => {
      const before = await state();
      const err = await refusal(live(), 'deploy.rollback', { name: 'live' });
      expect(err).toMatchObject({ code: 'NOTHING_TO_ROLL_BACK', kind: 'conflict' });
      expect(err.message).toMatch(/deployment live has nothing to roll back to: champ has no earlier production version/);
      expect(await state()).toEqual(before);
    });

    it.each([
      [{ name: 'live', to: 'champ' }, 'SWITCH_VERSION_REQUIRED', 'usage'],
      [{ name: 'live', to: 'champ:1' }, 'DEPLOYMENT_ALREADY_SERVES', 'conflict'],
      [{ name: 'live', to: 'blue:1' }, 'SWITCH_OTHER_MODEL', 'input'],
      [{ name: 'live', to: 'champ:9' }, 'REGISTRY_VERSION_NOT_FOUND', 'notFound'],
      [{ name: 'live', to: 'champ:x:2' }, 'BAD_MODEL_REF', 'input'],
      [{ name: 'ghost', to: 'champ:2' }, 'DEPLOYMENT_NOT_FOUND', 'notFound'],
    ])('refuses %j with %s', async (input, code, kind) => {
      const before = await state();
      expect(await refusal(live(), 'deploy.switch', input)).toMatchObject({ code, kind });
      expect(await state()).toEqual(before);
    });

    it('refuses a version without a validation: there is nothing it must reproduce', async () => {
      const before = await state();
      const err = await refusal(live(), 'deploy.switch', { name: 'live', to: 'champ:3' });
      expect(err).toMatchObject({ code: 'HEALTH_CHECK_FAILED', kind: 'negative' });
      expect(err.details).toMatchObject({ cause: 'noValidation', healthCheck: { games: 0, maxAbsDiff: null, passed: false } });
      expect(await state()).toEqual(before);
    });

    it('refuses a version whose model no longer gives the probabilities its validation recorded (planted 1e-7 apart)', async () => {
      const e = live();
      const original = await e.workspace.value<string>(`SELECT content FROM run_artifacts WHERE run_id = ? AND name = 'predictions.csv'`, [
        greenValidation,
      ]);
      expect(original).toBeTypeOf('string');
      const [header, ...lines] = (original as string).trim().split('\n');
      const pAt = header.split(',').indexOf('p');
      const planted = lines.map((line) => {
        const f = line.split(',');
        const p = Number(f[pAt]);
        f[pAt] = String(p < 0.5 ? p + 1e-7 : p - 1e-7);
        return f.join(',');
      });
      const plant = (text: string) =>
        e.workspace.run(`UPDATE run_artifacts SET content = ? WHERE run_id = ? AND name = 'predictions.csv'`, [text, greenValidation]);
      const before = await state();
      await plant(`${[header, ...planted].join('\n')}\n`);
      try {
        const err = await refusal(e, 'deploy.switch', { name: 'live', to: 'champ:2', reason: 'should not happen' });
        expect(err).toMatchObject({ code: 'HEALTH_CHECK_FAILED', kind: 'negative' });
        const details = err.details as { cause: string; healthCheck: { games: number; maxAbsDiff: number; passed: boolean } };
        expect(details.cause).toBe('mismatch');
        expect(details.healthCheck.games).toBe(HEALTH_CHECK_GAMES);
        expect(details.healthCheck.passed).toBe(false);
        expect(details.healthCheck.maxAbsDiff).toBeGreaterThan(0.5e-7);
        expect(details.healthCheck.maxAbsDiff).toBeLessThan(2e-7);
        expect(err.message).toMatch(/200 of 200 games score differently from its validation/);
        expect(await state()).toEqual(before);
      } finally {
        await plant(original as string);
      }
    });

    it('applies the registry gates after a passing health check: no production approval, no switch', async () => {
      const before = await state();
      const err = await refusal(live(), 'deploy.switch', { name: 'live', to: 'champ:2' });
      expect(err).toMatchObject({ code: 'PROMOTION_BLOCKED', kind: 'negative' });
      expect(err.message).toMatch(/has no approval for production/);
      expect(await state()).toEqual(before);
      await call(live(), 'registry.approve', { name: 'champ:2', stage: 'production', comment: 'ready for the switch' });
    });
  });

  describe('under `bullpen serve`, with predictions flowing', () => {
    let server: ChildProcess;
    let port: number;
    let token: string;
    const ws = () => ['--workspace', tmp.path, '--json'];

    const predict = async () => {
      const body = JSON.stringify({ deployment: 'live', gameIds });
      const r = await rawExchange(
        port,
        `POST /api/v1/predict HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
          `Authorization: Bearer ${token}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      expect(r.status, r.body).toBe(200);
      return deployPredictResultSchema.parse(JSON.parse(r.body));
    };
    const wave = () => Promise.all(Array.from({ length: WAVE }, predict));

    /** Every probability of a response is the one its named version's model gives that game. */
    const assertConsistent = (r: Awaited<ReturnType<typeof predict>>) => {
      expect(r.modelName).toBe('champ');
      const want = expected.get(r.version as number);
      expect(want, `version ${r.version}`).toBeDefined();
      expect(r.predictions.map((p) => p.gameId).sort()).toEqual(gameIds);
      for (const p of r.predictions) expect(Math.abs(p.p - (want?.get(p.gameId) ?? Number.NaN))).toBeLessThanOrEqual(SAME);
    };

    beforeAll(async () => {
      // The served engine opens the workspace alone.
      await engine?.close();
      engine = null;
      server = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--json', '--workspace', tmp.path], {
        env: { ...process.env, BULLPEN_WORKSPACE: '', NO_COLOR: '1', BULLPEN_AUTO_DEMO: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const first = await new Promise<string>((r, reject) => {
        createInterface({ input: server.stdout as NodeJS.ReadableStream }).once('line', r);
        server.once('exit', (code) => reject(new Error(`bullpen serve exited (${code}) before printing its URL`)));
      });
      const info = JSON.parse(first) as { origin: string; token: string };
      port = Number(new URL(info.origin).port);
      token = info.token;
    }, 120_000);

    afterAll(async () => {
      if (server && server.exitCode === null) {
        const exited = new Promise((r) => server.once('exit', r));
        server.kill('SIGTERM');
        await exited;
      }
    });

    it('answers refusals through the CLI with exit 1 (health check) and 2 (no version), JSON errors on stdout', async () => {
      const unchecked = await bullpen(['deploy', 'switch', 'live', '--to', 'champ:3', ...ws()]).done;
      expect(unchecked.code, unchecked.stderr).toBe(1);
      expect(JSON.parse(unchecked.stdout)).toMatchObject({ error: { code: 'HEALTH_CHECK_FAILED', details: { cause: 'noValidation' } } });
      const bare = await bullpen(['deploy', 'switch', 'live', '--to', 'champ', ...ws()]).done;
      expect(bare.code, bare.stderr).toBe(2);
      expect(JSON.parse(bare.stdout)).toMatchObject({ error: { code: 'SWITCH_VERSION_REQUIRED' } });
    });

    it('switches atomically: every concurrent answer is one version whole, and both versions answer', async () => {
      const before = await wave();
      const switching = bullpen(['deploy', 'switch', 'live', '--to', 'champ:2', '--reason', 'green validated better', ...ws()]);
      let finished = false;
      const cli = switching.done.then((r) => {
        finished = true;
        return r;
      });
      const during: Awaited<ReturnType<typeof predict>>[] = [];
      while (!finished) during.push(...(await wave()));
      const out = await cli;
      const after = await wave();

      expect(out.code, out.stderr).toBe(0);
      const result = deploySwitchResultSchema.parse(JSON.parse(out.stdout));
      expect(result).toEqual({
        deployment: 'live',
        from: { modelName: 'champ', version: 1 },
        to: { modelName: 'champ', version: 2 },
        healthCheck: { games: HEALTH_CHECK_GAMES, maxAbsDiff: result.healthCheck.maxAbsDiff, passed: true },
        switchedAt: result.switchedAt,
      });
      expect(result.healthCheck.maxAbsDiff).toBeLessThanOrEqual(HEALTH_CHECK_TOLERANCE);
      expect(Date.parse(result.switchedAt)).not.toBeNaN();

      for (const r of [...before, ...during, ...after]) assertConsistent(r);
      expect(new Set(before.map((r) => r.version))).toEqual(new Set([1]));
      expect(new Set(after.map((r) => r.version))).toEqual(new Set([2]));
      expect(during.length).toBeGreaterThan(0);
    });

    it('rolls back in one step through the CLI: the previous version serves again', async () => {
      const out = await bullpen(['deploy', 'rollback', 'live', '--reason', 'green misbehaves', ...ws()]).done;
      expect(out.code, out.stderr).toBe(0);
      const result = deploySwitchResultSchema.parse(JSON.parse(out.stdout));
      expect(result).toMatchObject({
        deployment: 'live',
        from: { modelName: 'champ', version: 2 },
        to: { modelName: 'champ', version: 1 },
        healthCheck: { games: HEALTH_CHECK_GAMES, passed: true },
      });
      const now = await wave();
      for (const r of now) {
        expect(r.version).toBe(1);
        assertConsistent(r);
      }
      const shown = await bullpen(['registry', 'show', 'champ', ...ws()]).done;
      expect(shown.code, shown.stderr).toBe(0);
      const versions = (JSON.parse(shown.stdout) as { versions: { version: number; stage: string }[] }).versions;
      expect(versions.map((v) => [v.version, v.stage])).toEqual([
        [3, 'development'],
        [2, 'archived'],
        [1, 'production'],
      ]);
    });

    it("leaves a log whose every row's version is the one that gave its probability, and an audit trail with the actor and reasons", async () => {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await exited;
      const e = await Engine.open({ workspacePath: tmp.path });
      engine = e;
      const dep = (await call(e, 'deploy.show', { name: 'live' })).deployment;
      expect([dep.version, dep.sourceModel]).toEqual([1, 'blue']);
      const rows = await e.workspace.all<{ game_id: string; version: number; source_model: string; p: number; via: string }>(
        `SELECT game_id, version, source_model, p, via FROM prediction_log WHERE deployment_id = ? ORDER BY seq`,
        [dep.id],
      );
      expect(new Set(rows.map((r) => r.version))).toEqual(new Set([1, 2]));
      for (const r of rows) {
        expect(r.source_model).toBe(r.version === 1 ? 'blue' : 'green');
        expect(Math.abs(r.p - (expected.get(r.version)?.get(r.game_id) ?? Number.NaN))).toBeLessThanOrEqual(SAME);
        expect(r.via).toBe('api');
      }
      const audit = await e.registry.audit('champ');
      const promoted = audit.find((a) => a.action === 'promote' && a.version === 2 && a.after?.stage === 'production');
      expect(promoted).toMatchObject({ actor: 'alice' });
      expect(promoted?.reason).toMatch(
        /^blue-green switch of deployment live from champ:1 to champ:2: green validated better \(health check: 200 games/,
      );
      const restored = audit.find((a) => a.action === 'rollback' && a.version === 1 && a.after?.stage === 'production');
      expect(restored).toMatchObject({ actor: 'alice' });
      expect(restored?.reason).toMatch(/^rollback of deployment live from champ:2 to champ:1: green misbehaves/);
      expect((await e.registry.verifyAudit()).ok).toBe(true);
    });
  });
});
