import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemo } from '../../../src-main/engine/demo/buildDemo';
import { Engine } from '../../../src-main/engine/engine';
import { auditEntrySchema, promotionGateSchema, registryVersionSchema, rollbackGateSchema } from '../../../src-main/shared/registry';
import { tempWorkspace } from '../../support/waitForEvent';
import { FAST, call, runJobResult } from '../ml/mlWorkspace';
import { IMPOSSIBLE_POLICY, LENIENT_POLICY, recordRetraining } from './registryFixtures';

const BIN = resolve(__dirname, '../../../bin/bullpen.js');

describe('bullpen registry (built CLI): exit 1 and the reason when a gate blocks a promotion, 0 once validated and approved', () => {
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;
  /** Runs the built CLI on the test workspace; `--json` answers are parsed. */
  function bullpen(...args: string[]): { code: number | null; json: Record<string, unknown>; stdout: string; lastLine: string } {
    const r = spawnSync(process.execPath, [BIN, ...args, '--workspace', tmp.path], {
      encoding: 'utf8',
      env: { ...process.env, BULLPEN_USER: 'carol' },
    });
    const json = args.includes('--json') && r.stdout.trim() ? (JSON.parse(r.stdout) as Record<string, unknown>) : {};
    return { code: r.status, json, stdout: r.stdout, lastLine: r.stderr.trim().split('\n').pop() ?? '' };
  }
  async function withEngine(fn: (engine: Engine) => Promise<void>): Promise<void> {
    const engine = await Engine.open({ workspacePath: tmp.path });
    try {
      await fn(engine);
    } finally {
      await engine.close();
    }
  }

  beforeAll(async () => {
    tmp = await tempWorkspace();
    await withEngine(async (engine) => {
      await buildDemo(engine.workspace, { seed: 3, firstSeason: 2010, lastSeason: 2012, marketInefficiency: true, scoringShift: false });
      await call(engine, 'ml.policy.set', { text: 'autoValidate: false\n' });
      await runJobResult(engine, 'ml.train', { train: '2010', valid: '2011', name: 'cli-a', ...FAST });
      await runJobResult(engine, 'ml.train', { train: '2010', valid: '2011', name: 'cli-b', seed: 9, ...FAST });
      await runJobResult(engine, 'ml.train', { train: '2010', valid: '2011', name: 'cli-c', seed: 13, ...FAST });
      expect((await runJobResult(engine, 'ml.validate', { model: 'cli-a', policy: LENIENT_POLICY })).report.status).toBe('passed');
      expect((await runJobResult(engine, 'ml.validate', { model: 'cli-b', policy: IMPOSSIBLE_POLICY })).report.status).toBe('failed');
      expect((await runJobResult(engine, 'ml.validate', { model: 'cli-c', policy: LENIENT_POLICY })).report.status).toBe('passed');
    });
  });
  afterAll(async () => tmp.cleanup());

  it('registers MODEL --as NAME as a development version (the actor is the configured user), and refuses an unknown model with exit 3', () => {
    const r = bullpen('registry', 'register', 'cli-a', '--as', 'champ', '--json');
    expect(r.code, r.lastLine).toBe(0);
    expect(registryVersionSchema.parse(r.json)).toMatchObject({
      modelName: 'champ',
      version: 1,
      stage: 'development',
      validation: { status: 'passed' },
    });
    const audit = bullpen('registry', 'audit', 'champ', '--json');
    expect(auditEntrySchema.parse((audit.json.entries as unknown[])[0])).toMatchObject({ actor: 'carol', action: 'register', version: 1 });

    const unknown = bullpen('registry', 'register', 'nope', '--json');
    expect(unknown.code).toBe(3);
    expect(unknown.json).toMatchObject({ error: { code: 'MODEL_NOT_FOUND' } });
  });

  it('promote without an approval exits 1 and says which approval is missing; nothing moves', () => {
    const r = bullpen('registry', 'promote', 'champ:1', '--to', 'production', '--json');
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ error: { code: 'PROMOTION_BLOCKED' } });
    expect(r.lastLine).toMatch(
      /^bullpen: cannot promote version 1 of champ to production: version 1 of champ has no approval for production: `bullpen registry approve champ:1 --stage production/,
    );
    const check = bullpen('registry', 'check', 'champ:1', '--to', 'production', '--json');
    expect(check.code).toBe(1);
    expect(promotionGateSchema.parse(check.json)).toMatchObject({
      allowed: false,
      validation: { passed: true },
      approval: { passed: false },
    });
    expect(bullpen('registry', 'show', 'champ', '--json').json).toMatchObject({ versions: [{ version: 1, stage: 'development' }] });
  });

  it('promote with an approval but a failed validation exits 1 naming the failed gate', () => {
    expect(bullpen('registry', 'register', 'cli-b', '--as', 'champ', '--json').json).toMatchObject({
      version: 2,
      validation: { status: 'failed' },
    });
    const approved = bullpen('registry', 'approve', 'champ:2', '--stage', 'production', '--comment', 'signed off', '--json');
    expect(approved.code, approved.lastLine).toBe(0);
    expect(registryVersionSchema.parse(approved.json).approvals).toEqual([
      { actor: 'carol', stage: 'production', decision: 'approved', comment: 'signed off', at: expect.any(String) as string },
    ]);
    const r = bullpen('registry', 'promote', 'champ:2', '--to', 'production');
    expect(r.code).toBe(1);
    expect(r.lastLine).toMatch(/cannot promote version 2 of champ to production: the latest validation of cli-b failed \(.*accuracy/);
  });

  it('promote with an approval but a validation older than the training exits 1 and says to validate again', async () => {
    await withEngine(async (engine) => void (await recordRetraining(engine, 'cli-c')));
    expect(bullpen('registry', 'register', 'cli-c', '--as', 'stale', '--json').code).toBe(0);
    expect(bullpen('registry', 'approve', 'stale', '--stage', 'staging', '--comment', 'ok').code).toBe(0);
    const r = bullpen('registry', 'promote', 'stale', '--to', 'staging', '--json');
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ error: { code: 'PROMOTION_BLOCKED' } });
    expect(r.lastLine).toMatch(/the latest validation of cli-c \(.*\) is older than its training \(.*\): validate it again/);
  });

  it('promote after a passing validation and an approval exits 0; an archived production version comes back with rollback in one step', () => {
    expect(bullpen('registry', 'approve', 'champ:1', '--stage', 'production', '--comment', 'holdout ROI positive').code).toBe(0);
    const first = bullpen('registry', 'promote', 'champ:1', '--to', 'production', '--reason', 'first release', '--json');
    expect(first.code, first.lastLine).toBe(0);
    expect(first.json).toMatchObject({ version: 1, stage: 'production' });

    const twice = bullpen('registry', 'register', 'cli-a', '--as', 'champ', '--json');
    expect(twice.code).toBe(3);
    expect(twice.json).toMatchObject({ error: { code: 'REGISTRY_ALREADY_REGISTERED' } });

    const show = bullpen('registry', 'show', 'champ', '--json');
    expect(rollbackGateSchema.parse(show.json.rollback)).toMatchObject({ allowed: false, from: 1, to: null });
    const none = bullpen('registry', 'rollback', 'champ', '--json');
    expect(none.code).toBe(3);
    expect(none.json).toMatchObject({ error: { code: 'REGISTRY_NOTHING_TO_ROLL_BACK' } });

    // Archive production, then roll back: the archived production version comes back in one step.
    expect(bullpen('registry', 'archive', 'champ:1', '--reason', 'incident 42').code).toBe(0);
    expect(bullpen('registry', 'list', '--json').json.versions).toEqual(
      expect.arrayContaining([expect.objectContaining({ modelName: 'champ', version: 1, stage: 'archived' })]),
    );
    const back = bullpen('registry', 'rollback', 'champ', '--reason', 'incident resolved', '--json');
    expect(back.code, back.lastLine).toBe(0);
    expect(back.json).toMatchObject({ version: 1, stage: 'production' });
    const trail = bullpen('registry', 'audit', 'champ', '--json').json.entries as { action: string; version: number; reason: string }[];
    expect(trail.at(-1)).toMatchObject({ action: 'rollback', version: 1, reason: 'incident resolved' });
    expect(bullpen('registry', 'audit', '--verify').code).toBe(0);
  });

  it('prints tables for people without --json, and refuses a malformed NAME:VERSION as bad input (exit 3)', () => {
    const list = bullpen('registry', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/versions:\n\s+modelName\s+version\s+stage/);
    const bad = bullpen('registry', 'promote', 'champ:two', '--to', 'archived', '--json');
    expect(bad.code).toBe(3);
    expect(bad.lastLine).toMatch(/NAME or NAME:VERSION/);
  });
});
