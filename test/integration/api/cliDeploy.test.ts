import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayResultSchema } from '../../../src-main/api/contract';
import { buildDemo } from '../../../src-main/engine/demo/buildDemo';
import { Engine } from '../../../src-main/engine/engine';
import { jobSchema } from '../../../src-main/shared/events';
import { alertSchema, deploymentSchema, loggedPredictionSchema, monitorCheckSchema } from '../../../src-main/shared/results/operations';
import { tempWorkspace } from '../../support/waitForEvent';
import { FAST, call, runJobResult } from '../ml/mlWorkspace';

const BIN = resolve(__dirname, '../../../bin/bullpen.js');

function bullpen(args: string[]): { code: number | null; stdout: string; stderr: string; json: unknown } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  let json: unknown = null;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    // asserted through code and stderr by the caller
  }
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json };
}

describe('bullpen deploy (built CLI): start, predict, check, show, stop and replay', () => {
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;
  let ws: string[];
  beforeAll(async () => {
    tmp = await tempWorkspace();
    ws = ['--workspace', tmp.path, '--json'];
    const engine = await Engine.open({ workspacePath: tmp.path });
    try {
      await buildDemo(engine.workspace, { seed: 5, firstSeason: 2010, lastSeason: 2012, marketInefficiency: false, scoringShift: false });
      await call(engine, 'ml.policy.set', { text: 'autoValidate: false\n' });
      await runJobResult(engine, 'ml.train', { train: '2010', valid: '2011', name: 'ops-model', ...FAST });
      await call(engine, 'registry.register', { model: 'ops-model' });
    } finally {
      await engine.close();
    }
  });
  afterAll(async () => tmp.cleanup());

  it('refuses a policy with a typo (exit 3, did-you-mean) and deploys nothing', () => {
    const policy = join(tmp.dir, 'typo.yaml');
    writeFileSync(policy, 'featureDrift:\n  defualt: { method: psi, threshold: 0.25 }\n');
    const r = bullpen(['deploy', 'start', '--model', 'ops-model:1', '--policy', policy, ...ws]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.json).toMatchObject({ error: { code: 'OPS_POLICY_INVALID' } });
    expect(r.stderr).toMatch(/featureDrift\.defualt.*did you mean `default`/);
    const bad = bullpen(['deploy', 'start', '--model', 'ops-model:1', '--policy-text', 'schedule: { checks: "every hour" }', ...ws]);
    expect(bad.code).toBe(3);
    expect(bad.json).toMatchObject({ error: { code: 'BAD_SCHEDULE' } });
    const tooMany = bullpen(['deploy', 'start', '--model', 'ops-model:1', '--policy-text', 'retraining: { sweepTrials: 500 }', ...ws]);
    expect(tooMany.code).toBe(3);
    expect(tooMany.json).toMatchObject({ error: { code: 'OPS_POLICY_INVALID' } });
    expect(tooMany.stderr).toMatch(/retraining\.sweepTrials/);
    const list = bullpen(['deploy', 'list', '--all', ...ws]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.json).toEqual([]);
  });

  it('deploys a registered version, scores a date and logs each game, checks, shows and stops', () => {
    const started = bullpen(['deploy', 'start', '--model', 'ops-model:1', '--name', 'live', ...ws]);
    expect(started.code, started.stderr).toBe(0);
    const deployment = deploymentSchema.parse(started.json);
    expect(deployment).toMatchObject({ name: 'live', modelName: 'ops-model', version: 1, status: 'active', replayId: null });

    const predicted = bullpen(['deploy', 'predict', 'live', '--date', '2012-06-01', ...ws]);
    expect(predicted.code, predicted.stderr).toBe(0);
    const answer = predicted.json as { predictions: { gameId: string; date: string; p: number }[]; unscored: unknown[] };
    expect(answer.predictions.length).toBeGreaterThan(0);
    for (const p of answer.predictions) {
      expect(p.date).toBe('2012-06-01');
      expect(p.p).toBeGreaterThan(0);
      expect(p.p).toBeLessThan(1);
    }
    const both = bullpen(['deploy', 'predict', 'live', '--date', '2012-06-01', '--upcoming', ...ws]);
    expect(both.code).toBe(2);

    const log = bullpen(['deploy', 'predictions', 'live', ...ws]);
    expect(log.code, log.stderr).toBe(0);
    const rows = (log.json as unknown[]).map((r) => loggedPredictionSchema.parse(r));
    expect(rows.map((r) => r.gameId).sort()).toEqual(answer.predictions.map((p) => p.gameId).sort());
    expect(rows.every((r) => r.via === 'cli' && r.kind === 'prediction')).toBe(true);

    const check = bullpen(['deploy', 'check', 'live', ...ws]);
    expect(check.code, check.stderr).toBe(0);
    expect(monitorCheckSchema.parse(check.json).deploymentId).toBe(deployment.id);
    const shown = bullpen(['deploy', 'show', 'live', ...ws]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.json).toMatchObject({ predictions: rows.length, lastCheck: { id: (check.json as { id: string }).id } });

    const stopped = bullpen(['deploy', 'stop', 'live', ...ws]);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(deploymentSchema.parse(stopped.json).status).toBe('stopped');
    const refused = bullpen(['deploy', 'predict', 'live', '--date', '2012-06-02', ...ws]);
    expect(refused.code).not.toBe(0);
    expect(bullpen(['deploy', 'list', ...ws]).json).toEqual([]);
  });

  it('replays part of a season as one JSON job; its log, checks and alerts are read back under its replay id', () => {
    const r = bullpen([
      'deploy',
      'replay',
      '--model',
      'ops-model',
      '--season',
      '2012',
      '--from',
      '2012-05-01',
      '--to',
      '2012-05-31',
      ...ws,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const job = jobSchema.parse(r.json);
    expect(job.kind).toBe('deploy.replay');
    const result = replayResultSchema.parse(job.result);
    expect(result.season).toBe(2012);
    expect(result.days).toBeGreaterThan(20);
    expect(result.days).toBeLessThanOrEqual(31);
    expect(result.settled).toBe(result.predictions);
    expect(result.driftScore.length).toBe(result.days);
    expect(result.driftScore.every((d) => d.date >= '2012-05-01' && d.date <= '2012-06-01')).toBe(true);

    // The replay's deployment is not live, and its rows are read with --replay.
    expect(bullpen(['deploy', 'list', '--all', ...ws]).json).toHaveLength(1);
    const log = bullpen(['deploy', 'predictions', 'ops-model', '--replay', result.replayId, '--limit', '100000', ...ws]);
    expect(log.code, log.stderr).toBe(0);
    expect((log.json as unknown[]).length).toBe(result.predictions);
    // Every check's results pass the output contract with the figures the Monitoring screen draws.
    const checks = bullpen(['deploy', 'checks', 'ops-model', '--replay', result.replayId, '--limit', '5000', ...ws]);
    expect(checks.code, checks.stderr).toBe(0);
    const parsedChecks = (checks.json as unknown[]).map((c) => monitorCheckSchema.parse(c));
    expect(parsedChecks).toHaveLength(result.days);
    const drift = parsedChecks.flatMap((c) => c.results).filter((r) => r.monitor === 'featureDrift' && r.statistics);
    expect(drift.length).toBeGreaterThan(0);
    for (const r of drift) expect(r.statistics?.psi).toBe(r.method === 'psi' ? r.value : r.statistics?.psi);
    const alerts = bullpen(['deploy', 'alerts', '--replay', result.replayId, '--limit', '5000', ...ws]);
    expect(alerts.code, alerts.stderr).toBe(0);
    const parsed = (alerts.json as unknown[]).map((a) => alertSchema.parse(a));
    expect(parsed.length).toBe(new Set(result.alerts.map((a) => `${a.monitor}|${a.feature ?? ''}`)).size);
  });
});
