import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobResult, validationReportSchema } from '../../../src-main/api/contract';
import type { Engine } from '../../../src-main/engine/engine';
import { registerFeatures, readRegistrationFile } from '../../../src-main/engine/features/featureStore';
import { gateNames } from '../../../src-main/shared/validationPolicy';
import { FAST, call, openMlEngine, runJob, runJobResult } from './mlWorkspace';

const fixture = (name: string) => resolve(__dirname, '../../fixtures/validation', name);

describe('ml validate: gates from out-of-sample evidence, stored with the model, enforced at promotion', () => {
  let engine: Engine;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ engine, cleanup } = await openMlEngine());
    // Tests below start each validation themselves; the automatic one after training has its own test.
    await call(engine, 'ml.policy.set', { text: 'autoValidate: false\n' });
    await runJobResult(engine, 'ml.train', { train: '2010', valid: '2011', name: 'm2010', ...FAST });
  });
  afterAll(async () => cleanup());

  it('validates on the holdout season after training, runs the CV, CPCV and backtest it needs, and records a report run', async () => {
    const r = await runJobResult(engine, 'ml.validate', { model: 'm2010' });
    const report = validationReportSchema.parse(r.report);
    expect(report.modelName).toBe('m2010');
    expect(report.windows.evaluation).toMatchObject({ source: 'holdout', seasons: [2012], odds: 'close' });
    expect(report.gates.map((g) => g.name)).toEqual(gateNames);
    expect(report.status).toBe(report.gates.every((g) => g.passed) ? 'passed' : 'failed');
    for (const g of report.gates) expect(g.explanation.length).toBeGreaterThan(10);
    expect(report.runs.map((x) => [x.role, x.reused])).toEqual([
      ['training', true],
      ['cv', false],
      ['backtest', false],
      ['cpcv', false],
    ]);
    // The default policy holds the model to 60% accuracy: on a synthetic league with a realistic market it fails.
    expect(report.gates.find((g) => g.name === 'accuracy')?.threshold).toBe(0.6);
    const run = await engine.runs.get(r.runId);
    expect(run.kind).toBe('validation');
    expect(run.tags['validation.status']).toBe(report.status);
    expect(run.artifacts.map((a) => a.name).sort()).toEqual(['predictions.csv', 'report.html', 'validation.json']);
    expect(run.data.validation?.status).toBe(report.status);
    const trained = await engine.runs.get(report.modelRunId);
    expect(trained.tags['validation.status']).toBe(report.status);
    expect(trained.tags['validation.run']).toBe(r.runId);
    const listed = await call(engine, 'ml.validations.list', { model: 'm2010' });
    expect(listed[0]).toMatchObject({ runId: r.runId, status: report.status, modelName: 'm2010' });
    const shown = await call(engine, 'ml.validations.show', { model: 'm2010' });
    expect(shown.report).toEqual(report);
    const html = await call(engine, 'ml.validations.html', { id: r.runId });
    expect(html.html).toMatch(/<html/i);
    expect(html.html).toContain('m2010');
  });

  it('reuses the CV, CPCV and backtest runs of an earlier validation instead of repeating them', async () => {
    const r = await runJobResult(engine, 'ml.validate', { model: 'm2010' });
    expect(r.report.runs.map((x) => [x.role, x.reused])).toEqual([
      ['training', true],
      ['cv', true],
      ['backtest', true],
      ['cpcv', true],
    ]);
  });

  it('answers promotion by the latest validation: a failed one blocks staging, a passed one allows it, development is never gated', async () => {
    const failing = await call(engine, 'ml.policy.set', { text: 'gates: { accuracy: { min: 0.99 } }\nautoValidate: false\n' });
    expect(failing.policy.gates.accuracy.min).toBe(0.99);
    const failed = await runJobResult(engine, 'ml.validate', { model: 'm2010' });
    expect(failed.report.status).toBe('failed');
    expect(failed.report.gates.find((g) => g.name === 'accuracy')?.passed).toBe(false);
    const blocked = await call(engine, 'ml.promotion.check', { model: 'm2010', stage: 'staging' });
    expect(blocked).toMatchObject({ allowed: false, validation: { status: 'failed' } });
    expect(blocked.reason).toMatch(/failed \(.*accuracy/);
    expect(await call(engine, 'ml.promotion.check', { model: 'm2010', stage: 'development' })).toMatchObject({ allowed: true });

    const passed = await runJobResult(engine, 'ml.validate', { model: 'm2010', policy: fixture('lenient.yaml') });
    expect(passed.report.status, JSON.stringify(passed.report.gates.filter((g) => !g.passed))).toBe('passed');
    expect(passed.report.policySource).toBe('file');
    expect(passed.report.disabledGates).toEqual(['roiSignificance', 'accuracySignificance', 'overfitting']);
    expect(await call(engine, 'ml.promotion.check', { model: 'm2010', stage: 'production' })).toMatchObject({ allowed: true });
  });

  it('refuses promotion of a model that was never validated', async () => {
    await runJobResult(engine, 'ml.train', { train: '2010', valid: '2011', name: 'never-validated', ...FAST });
    const answer = await call(engine, 'ml.promotion.check', { model: 'never-validated', stage: 'staging' });
    expect(answer).toMatchObject({ allowed: false, validation: null });
    expect(answer.reason).toMatch(/never been validated/);
  });

  it('uses walk-forward out-of-fold predictions when no season follows the training', async () => {
    await runJobResult(engine, 'ml.train', { train: '2010-2011', valid: '2012', name: 'm-all', ...FAST });
    const r = await runJobResult(engine, 'ml.validate', { model: 'm-all', policy: fixture('lenient.yaml') });
    expect(r.report.windows.evaluation.source).toBe('walk-forward');
    expect(r.report.summary.games).toBeGreaterThan(100);
    expect(r.report.runs.find((x) => x.role === 'backtest')).toBeDefined();
  });

  it('flags a model trained with a leaking feature as suspected leakage and names the feature', async () => {
    // Registered past the registration guard on purpose: validation must still catch it.
    await registerFeatures(engine.workspace, readRegistrationFile(fixture('leaky-set.yaml')), { skipLeakageCheck: true });
    await runJobResult(engine, 'ml.train', { train: '2010', valid: '2011', features: 'leaky', name: 'leaky-model', ...FAST });
    const r = await runJobResult(engine, 'ml.validate', { model: 'leaky-model' });
    const leakage = r.report.gates.find((g) => g.name === 'leakage');
    expect(leakage?.passed).toBe(false);
    expect(leakage?.explanation).toMatch(/^suspected leakage/i);
    expect(JSON.stringify(leakage?.details)).toContain('leaky_final_margin');
    expect(r.report.status).toBe('failed');
  });

  it('refuses a policy with a typo, names the key and suggests the gate, and keeps the stored policy', async () => {
    const before = await call(engine, 'ml.policy.get', {});
    const err = await call(engine, 'ml.policy.set', { file: fixture('typo.yaml') }).then(
      () => null,
      (e: Error & { code?: string }) => e,
    );
    expect(err?.code).toBe('POLICY_INVALID');
    expect(err?.message).toMatch(/acuracy/);
    expect(err?.message).toMatch(/did you mean .?accuracy/);
    expect(await call(engine, 'ml.policy.get', {})).toEqual(before);
    const refused = await call(engine, 'ml.validate', { model: 'm2010', policy: fixture('typo.yaml') }).then(
      () => null,
      (e: Error & { code?: string }) => e,
    );
    expect(refused?.code).toBe('POLICY_INVALID');
  });

  it('validates a model automatically when its training completes, unless told not to', async () => {
    await call(engine, 'ml.policy.set', { reset: true });
    const trained = await runJobResult(engine, 'ml.train', { train: '2010', valid: '2011', name: 'auto', ...FAST });
    expect(trained.validationJobId).toBeTruthy();
    const job = await engine.jobs.settled(trained.validationJobId!);
    expect(job.state, job.error ?? '').toBe('completed');
    const latest = await call(engine, 'ml.validations.list', { model: 'auto' });
    expect(latest).toHaveLength(1);
    expect(latest[0].runId).toBe(jobResult(job, 'ml.validate').runId);
    const quiet = await runJobResult(engine, 'ml.train', { train: '2010', valid: '2011', name: 'quiet', validate: false, ...FAST });
    expect(quiet.validationJobId).toBeNull();
  });

  it('refuses to validate on seasons the model was trained on', async () => {
    const err = await runJob(engine, 'ml.validate', { model: 'm2010', seasons: '2011' }).then(
      () => null,
      (e: Error & { code?: string }) => e,
    );
    expect(err?.code).toBe('VALIDATION_IN_SAMPLE');
  });
});
