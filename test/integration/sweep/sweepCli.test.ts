// The sweep commands as a user types them (the built CLI): a bad search space refused with exit 3 and every
// problem named, `ml optimize --json` printing the summary shape, and the journal export written.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobSchema, sweepSummarySchema, sweepTrialsSchema } from '../../../src-main/api/contract';
import { buildDemo } from '../../../src-main/engine/demo/buildDemo';
import { Engine } from '../../../src-main/engine/engine';
import { tempWorkspace } from '../../support/waitForEvent';

const BIN = resolve(__dirname, '../../../bin/bullpen.js');

function bullpen(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bullpen ml optimize and ml sweeps (built CLI)', () => {
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;
  beforeAll(async () => {
    tmp = await tempWorkspace();
    const engine = await Engine.open({ workspacePath: tmp.path });
    try {
      await buildDemo(engine.workspace, { seed: 31, firstSeason: 2010, lastSeason: 2012, marketInefficiency: true, scoringShift: false });
    } finally {
      await engine.close();
    }
  }, 120_000);
  afterAll(async () => tmp.cleanup());

  it('refuses a bad search space with exit 3, naming each problem, and starts nothing', () => {
    const space = join(tmp.dir, 'bad-space.yaml');
    writeFileSync(
      space,
      'num_leaves: {type: int, low: 300, high: 10}\nlearning_rate: {type: float, low: 0, high: 0.3, log: true}\nnum_leafs: {type: int, low: 2, high: 8}\n',
    );
    const r = bullpen([
      'ml',
      'optimize',
      '--target',
      'home_win',
      '--features',
      'default',
      '--space',
      space,
      '--json',
      '--workspace',
      tmp.path,
    ]);
    expect(r.code, r.stderr).toBe(3);
    expect((JSON.parse(r.stdout) as { error: { code: string } }).error.code).toBe('SPACE_INVALID');
    expect(r.stderr).toMatch(/low 300 is above high 10/);
    expect(r.stderr).toMatch(/log: true needs bounds above 0/);
    expect(r.stderr).toMatch(/num_leafs.*did you mean/);
    const list = bullpen(['ml', 'sweeps', 'list', '--json', '--workspace', tmp.path]);
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it('prints the summary as one JSON document, lists the trials and writes the Optuna journal', () => {
    const r = bullpen([
      'ml',
      'optimize',
      '--target',
      'home_win',
      '--features',
      'default',
      '--trials',
      '4',
      '--sampler',
      'random',
      '--objectives',
      'logLoss,roi',
      '--num-boost-round',
      '30',
      '--early-stopping-rounds',
      '10',
      '--splits',
      '2',
      '--workers',
      '1',
      '--name',
      'cli-sweep',
      '--json',
      '--workspace',
      tmp.path,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const summary = sweepSummarySchema.parse(jobSchema.parse(JSON.parse(r.stdout)).result);
    expect(summary).toMatchObject({ name: 'cli-sweep', status: 'completed', sampler: 'random', objectives: ['logLoss', 'roi'], trials: 4 });
    expect(summary.completed).toBe(4);
    // Two objectives: every front member is a complete trial, and no complete trial dominates one.
    expect(summary.paretoFront.length).toBeGreaterThan(0);
    expect(summary.hypervolume).toBeGreaterThan(0);

    const trials = sweepTrialsSchema.parse(
      JSON.parse(bullpen(['ml', 'sweeps', 'trials', 'cli-sweep', '--json', '--workspace', tmp.path]).stdout),
    );
    expect(trials.trials.map((t) => t.number)).toEqual([0, 1, 2, 3]);
    for (const f of summary.paretoFront) {
      const dominated = trials.trials.some(
        (t) => t.values![0] <= f.values[0] && t.values![1] >= f.values[1] && (t.values![0] < f.values[0] || t.values![1] > f.values[1]),
      );
      expect(dominated).toBe(false);
    }

    const out = join(tmp.dir, 'journal.log');
    const e = bullpen([
      'ml',
      'sweeps',
      'export',
      'cli-sweep',
      '--format',
      'optuna-journal',
      '--out',
      out,
      '--json',
      '--workspace',
      tmp.path,
    ]);
    expect(e.code, e.stderr).toBe(0);
    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { op_code: number });
    // One study, then its attributes, then one create-trial operation per trial (op code 4).
    expect(lines[0].op_code).toBe(0);
    expect(lines.filter((l) => l.op_code === 4)).toHaveLength(4);
  }, 300_000);
});
