import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateResultSchema } from '../../../src-main/api/contract';
import { buildDemo } from '../../../src-main/engine/demo/buildDemo';
import { Engine } from '../../../src-main/engine/engine';
import { jobSchema } from '../../../src-main/shared/events';
import { tempWorkspace } from '../../support/waitForEvent';
import { FAST, call, runJobResult } from '../ml/mlWorkspace';

const BIN = resolve(__dirname, '../../../bin/bullpen.js');
const fixture = (name: string) => resolve(__dirname, '../../fixtures/validation', name);

function bullpen(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bullpen ml validate (built CLI): exit 0 passed, 1 failed, 3 bad policy', () => {
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;
  beforeAll(async () => {
    tmp = await tempWorkspace();
    const engine = await Engine.open({ workspacePath: tmp.path });
    try {
      await buildDemo(engine.workspace, { seed: 3, firstSeason: 2010, lastSeason: 2012, marketInefficiency: true, scoringShift: false });
      await call(engine, 'ml.policy.set', { text: 'autoValidate: false\n' });
      await runJobResult(engine, 'ml.train', { train: '2010', valid: '2011', name: 'cli-model', ...FAST });
    } finally {
      await engine.close();
    }
  });
  afterAll(async () => tmp.cleanup());

  it('exits 1 with the failed gates on the last line of stderr, and prints the report as one JSON job', () => {
    const r = bullpen(['ml', 'validate', '--model', 'cli-model', '--json', '--workspace', tmp.path]);
    expect(r.code, r.stderr).toBe(1);
    const job = jobSchema.parse(JSON.parse(r.stdout));
    const result = validateResultSchema.parse(job.result);
    expect(result.report.status).toBe('failed');
    const last = r.stderr.trim().split('\n').pop() ?? '';
    expect(last).toMatch(/validation of cli-model failed: .*accuracy/);
  });

  it('`ml promotion check` exits 1 while the latest validation (the failed one above) blocks the stage', () => {
    const r = bullpen(['ml', 'promotion', 'check', '--model', 'cli-model', '--stage', 'production', '--json', '--workspace', tmp.path]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ allowed: false });
  });

  it('exits 0 under a policy every gate passes, and writes the HTML report with --out', () => {
    const out = join(tmp.dir, 'report.html');
    const r = bullpen([
      'ml',
      'validate',
      '--model',
      'cli-model',
      '--policy',
      fixture('lenient.yaml'),
      '--out',
      out,
      '--json',
      '--workspace',
      tmp.path,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(validateResultSchema.parse(jobSchema.parse(JSON.parse(r.stdout)).result).htmlPath).toBe(out);
    expect(existsSync(out)).toBe(true);
    expect(readFileSync(out, 'utf8')).toMatch(/cli-model/);
  });

  it('exits 3 for a policy file with a typo, naming the key and the gate it meant', () => {
    const r = bullpen(['ml', 'validate', '--model', 'cli-model', '--policy', fixture('typo.yaml'), '--json', '--workspace', tmp.path]);
    expect(r.code).toBe(3);
    const body = JSON.parse(r.stdout) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('POLICY_INVALID');
    expect(body.error.message).toMatch(/did you mean .?accuracy/);
  });
});
