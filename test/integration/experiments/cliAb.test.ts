// `bullpen ab` through the built CLI with --json: exit codes and error codes of bad input, the experiment a
// second CLI process routes exactly as the first, the status document, and `deploy replay --challenger`.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemo } from '../../../src-main/engine/demo/buildDemo';
import { Engine } from '../../../src-main/engine/engine';
import { jobSchema } from '../../../src-main/shared/events';
import { experimentSchema, experimentStatusResultSchema } from '../../../src-main/shared/results/experiments';
import { deployPredictResultSchema, replayResultSchema } from '../../../src-main/shared/results/operations';
import { tempWorkspace } from '../../support/waitForEvent';
import { FAST, call, runJobResult } from '../ml/mlWorkspace';

const BIN = resolve(__dirname, '../../../bin/bullpen.js');

function bullpen(args: string[]): { code: number | null; stderr: string; json: unknown } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  let json: unknown = null;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    // asserted through code and stderr by the caller
  }
  return { code: r.status, stderr: r.stderr, json };
}

describe('bullpen ab (built CLI, --json)', () => {
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;
  let ws: string[];
  let day: string;
  beforeAll(async () => {
    tmp = await tempWorkspace();
    ws = ['--workspace', tmp.path, '--json'];
    const engine = await Engine.open({ workspacePath: tmp.path });
    try {
      await buildDemo(engine.workspace, { seed: 5, firstSeason: 2010, lastSeason: 2012, marketInefficiency: false, scoringShift: false });
      await call(engine, 'ml.policy.set', { text: 'autoValidate: false\n' });
      await runJobResult(engine, 'ml.train', { train: '2010', valid: '2011', name: 'ctrl', ...FAST });
      await runJobResult(engine, 'ml.train', { train: '2010-2011', name: 'chal', ...FAST, numBoostRound: 30 });
      await call(engine, 'registry.register', { model: 'ctrl' });
      await call(engine, 'deploy.start', { model: 'ctrl:1', name: 'live' });
      const row = await engine.workspace.one<{ d: string }>(
        `SELECT strftime(date, '%Y-%m-%d') AS d FROM games WHERE season = 2012 GROUP BY date HAVING count(*) >= 8 ORDER BY date LIMIT 1 OFFSET 30`,
      );
      day = row?.d as string;
    } finally {
      await engine.close();
    }
  }, 180_000);
  afterAll(async () => tmp.cleanup());

  it('answers bad input with exit 3 and a JSON error naming it; nothing is started', () => {
    const cases: [string[], string][] = [
      [['--deployment', 'ghost', '--challenger', 'chal'], 'DEPLOYMENT_NOT_FOUND'],
      [['--deployment', 'live', '--challenger', 'chal', '--split', '120/-20'], 'BAD_SPLIT'],
      [['--deployment', 'live', '--challenger', 'chal', '--alpha', '2'], 'INVALID_INPUT'],
      [['--deployment', 'live', '--challenger', 'ctrl'], 'CHALLENGER_IS_CONTROL'],
    ];
    for (const [args, code] of cases) {
      const r = bullpen(['ab', 'start', ...args, ...ws]);
      expect(r.code, r.stderr).toBe(3);
      expect(r.json).toMatchObject({ error: { code } });
    }
    const missing = bullpen(['ab', 'start', '--deployment', 'live', ...ws]);
    expect(missing.code).toBe(2);
    const list = bullpen(['ab', 'list', '--all', ...ws]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.json).toEqual([]);
  });

  it('starts an experiment; two CLI processes route every game the same way; status, list and stop answer JSON', () => {
    const started = bullpen([
      'ab',
      'start',
      '--deployment',
      'live',
      '--challenger',
      'chal',
      '--split',
      '70/30',
      '--guardrails',
      'roi,accuracy',
      ...ws,
    ]);
    expect(started.code, started.stderr).toBe(0);
    const e = experimentSchema.parse(started.json);
    expect(e).toMatchObject({ name: 'chal-vs-ctrl', challengerShare: 0.3, config: { split: [70, 30], guardrails: ['roi', 'accuracy'] } });

    const first = bullpen(['deploy', 'predict', 'live', '--date', day, ...ws]);
    expect(first.code, first.stderr).toBe(0);
    const second = bullpen(['deploy', 'predict', 'live', '--date', day, ...ws]);
    expect(second.code, second.stderr).toBe(0);
    const a = deployPredictResultSchema.parse(first.json).predictions;
    const b = deployPredictResultSchema.parse(second.json).predictions;
    expect(a.length).toBeGreaterThanOrEqual(8);
    expect(a.every((p) => p.experiment?.experiment === 'chal-vs-ctrl')).toBe(true);
    expect(b.map((p) => [p.gameId, p.experiment?.variant, p.experiment?.p])).toEqual(
      a.map((p) => [p.gameId, p.experiment?.variant, p.experiment?.p]),
    );

    const status = bullpen(['ab', 'status', 'chal-vs-ctrl', ...ws]);
    expect(status.code, status.stderr).toBe(0);
    const s = experimentStatusResultSchema.parse(status.json);
    expect(s.variants.map((v) => v.variant)).toEqual(['control', 'challenger']);
    expect(s.variants[0].assigned + s.variants[1].assigned).toBe(a.length);
    expect(s.actions.promote.allowed).toBe(false);

    expect((bullpen(['ab', 'list', ...ws]).json as { name: string }[]).map((x) => x.name)).toEqual(['chal-vs-ctrl']);
    const stopped = bullpen(['ab', 'stop', 'chal-vs-ctrl', '--reason', 'done', ...ws]);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(experimentSchema.parse(stopped.json).status).toBe('stopped');
    const again = bullpen(['ab', 'stop', 'chal-vs-ctrl', ...ws]);
    expect(again.code).toBe(3);
    expect(again.json).toMatchObject({ error: { code: 'EXPERIMENT_NOT_RUNNING' } });
  });

  it('deploy replay --challenger --json: the job result lists the experiment with control first', () => {
    const r = bullpen([
      'deploy',
      'replay',
      '--model',
      'ctrl',
      '--challenger',
      'chal',
      '--split',
      '80/20',
      '--season',
      '2012',
      '--from',
      '2012-05-01',
      '--to',
      '2012-05-20',
      ...ws,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const result = replayResultSchema.parse(jobSchema.parse(r.json).result);
    expect(result.experiments).toHaveLength(1);
    expect(result.experiments[0].variants.map((v) => [v.variant, v.name])).toEqual([
      ['control', 'ctrl'],
      ['challenger', 'chal'],
    ]);
    const bad = bullpen(['deploy', 'replay', '--model', 'ctrl', '--challenger', 'chal', '--split', '0/100', '--season', '2012', ...ws]);
    expect(bad.code).toBe(3);
    expect(bad.json).toMatchObject({ error: { code: 'BAD_SPLIT' } });
  });
});
