import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src-main/engine/engine';
import type { StageChange } from '../../../src-main/engine/registry/registryService';
import { FAST, call, openMlEngine, runJobResult } from '../ml/mlWorkspace';
import { IMPOSSIBLE_POLICY, LENIENT_POLICY, recordRetraining, refusal } from './registryFixtures';

/** Stages of every version of a registry name, by version. */
async function stages(engine: Engine, name: string): Promise<Record<number, string>> {
  const { versions } = await call(engine, 'registry.show', { name });
  return Object.fromEntries(versions.map((v) => [v.version, v.stage]));
}

async function productionCount(engine: Engine): Promise<Record<string, number>> {
  const { versions } = await call(engine, 'registry.list', {});
  const out: Record<string, number> = {};
  for (const v of versions) if (v.stage === 'production') out[v.modelName] = (out[v.modelName] ?? 0) + 1;
  return out;
}

describe('model registry through dispatch (what HTTP and IPC call): gates, production, rollback, listeners', () => {
  let engine: Engine;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ engine, cleanup } = await openMlEngine());
    await call(engine, 'settings.set', { user: 'alice' });
    await runJobResult(engine, 'ml.train', { train: '2010', valid: '2011', name: 'champ-a', ...FAST });
    await runJobResult(engine, 'ml.train', { train: '2010', valid: '2011', name: 'champ-b', seed: 11, ...FAST });
    const passed = await runJobResult(engine, 'ml.validate', { model: 'champ-a', policy: LENIENT_POLICY });
    expect(passed.report.status).toBe('passed');
    const failed = await runJobResult(engine, 'ml.validate', { model: 'champ-b', policy: IMPOSSIBLE_POLICY });
    expect(failed.report.status).toBe('failed');
  });
  afterAll(async () => cleanup());

  it('registers a trained model as development version 1, refusing an unknown model and the same training twice', async () => {
    const unknown = await refusal(engine, 'registry.register', { model: 'no-such-model', as: 'champ' });
    expect(unknown).toMatchObject({ kind: 'notFound', code: 'MODEL_NOT_FOUND' });

    const v1 = await call(engine, 'registry.register', { model: 'champ-a', as: 'champ' });
    const model = await engine.models.get('champ-a');
    expect(v1).toMatchObject({
      modelName: 'champ',
      version: 1,
      stage: 'development',
      sourceModel: 'champ-a',
      runId: model.runId,
      approvals: [],
    });
    // The version carries the validation of the training it holds.
    const [latest] = await call(engine, 'ml.validations.list', { model: 'champ-a', limit: 1 });
    expect(v1.validation).toEqual({ status: 'passed', at: latest.validatedAt });

    const twice = await refusal(engine, 'registry.register', { model: 'champ-a', as: 'champ' });
    expect(twice).toMatchObject({ kind: 'conflict', code: 'REGISTRY_ALREADY_REGISTERED' });
    expect(twice.message).toMatch(/already version 1 of champ/);
    expect(await stages(engine, 'champ')).toEqual({ 1: 'development' });
  });

  it('refuses promotion to staging without an approval for that stage, though the validation passed; allows it once approved', async () => {
    const blocked = await refusal(engine, 'registry.promote', { name: 'champ:1', to: 'staging' });
    expect(blocked).toMatchObject({ kind: 'negative', code: 'PROMOTION_BLOCKED' });
    expect(blocked.message).toMatch(/no approval for staging/);
    expect(blocked.message).not.toMatch(/validation of champ-a failed|never been validated/);
    expect(blocked.details).toMatchObject({ validation: { passed: true }, approval: { passed: false } });
    expect(await stages(engine, 'champ')).toEqual({ 1: 'development' });

    // An approval for production does not open staging: an approval is for one stage.
    await call(engine, 'registry.approve', { name: 'champ:1', stage: 'production', comment: 'production only' });
    expect((await refusal(engine, 'registry.promote', { name: 'champ:1', to: 'staging' })).message).toMatch(/no approval for staging/);

    const approved = await call(engine, 'registry.approve', { name: 'champ:1', stage: 'staging', comment: 'CV and holdout look fine' });
    expect(approved.approvals.at(-1)).toMatchObject({
      actor: 'alice',
      stage: 'staging',
      decision: 'approved',
      comment: 'CV and holdout look fine',
    });
    const check = await call(engine, 'registry.check', { name: 'champ:1', to: 'staging' });
    expect(check).toMatchObject({ allowed: true, training: { passed: true }, validation: { passed: true }, approval: { passed: true } });
    const staged = await call(engine, 'registry.promote', { name: 'champ:1', to: 'staging' });
    expect(staged).toMatchObject({ version: 1, stage: 'staging' });
  });

  it('refuses promotion when the validation failed, even with an approval, and says which gate failed', async () => {
    const v2 = await call(engine, 'registry.register', { model: 'champ-b', as: 'champ' });
    expect(v2).toMatchObject({ version: 2, stage: 'development', validation: { status: 'failed' } });
    await call(engine, 'registry.approve', { name: 'champ:2', stage: 'production', comment: 'approved before the validation was read' });
    const blocked = await refusal(engine, 'registry.promote', { name: 'champ:2', to: 'production' });
    expect(blocked).toMatchObject({ kind: 'negative', code: 'PROMOTION_BLOCKED' });
    expect(blocked.message).toMatch(/validation of champ-b failed \(.*accuracy/);
    expect(blocked.details).toMatchObject({ validation: { passed: false }, approval: { passed: true } });
    expect(await stages(engine, 'champ')).toEqual({ 1: 'staging', 2: 'development' });
  });

  it('a rejection recorded after an approval blocks until the stage is approved again', async () => {
    await call(engine, 'registry.reject', { name: 'champ:1', stage: 'production', comment: 'wait for the new odds feed' });
    const blocked = await refusal(engine, 'registry.promote', { name: 'champ:1', to: 'production' });
    expect(blocked.code).toBe('PROMOTION_BLOCKED');
    expect(blocked.message).toMatch(/rejected for production by alice .*wait for the new odds feed/);
    await call(engine, 'registry.approve', { name: 'champ:1', stage: 'production', comment: 'odds feed fixed' });
    const live = await call(engine, 'registry.promote', { name: 'champ:1', to: 'production', reason: 'first release' });
    expect(live).toMatchObject({ version: 1, stage: 'production' });
  });

  it('a new production version archives the previous one; there is never more than one in production', async () => {
    // champ-b passes once validated under a policy it meets: the latest validation decides.
    const passed = await runJobResult(engine, 'ml.validate', { model: 'champ-b', policy: LENIENT_POLICY });
    expect(passed.report.status).toBe('passed');
    const promoted = await call(engine, 'registry.promote', { name: 'champ:2', to: 'production' });
    expect(promoted).toMatchObject({ version: 2, stage: 'production', validation: { status: 'passed' } });
    expect(await stages(engine, 'champ')).toEqual({ 1: 'archived', 2: 'production' });
    expect(await productionCount(engine)).toEqual({ champ: 1 });

    const trail = await call(engine, 'registry.audit', { name: 'champ' });
    const [archived, prod] = trail.entries.slice(-2);
    expect(archived).toMatchObject({
      action: 'promote',
      version: 1,
      before: { stage: 'production' },
      after: { stage: 'archived' },
      actor: 'alice',
    });
    expect(archived.reason).toMatch(/replaced in production by version 2/);
    expect(prod).toMatchObject({ action: 'promote', version: 2, before: { stage: 'development' }, after: { stage: 'production' } });
    expect(prod.reason).toMatch(/passed.*approved for production by alice/);
    expect((await call(engine, 'registry.show', { name: 'champ' })).rollback).toMatchObject({ allowed: true, from: 2, to: 1 });
  });

  it('rollback restores the previous production version in one call, archives the current one, and is audited', async () => {
    const seen: StageChange[] = [];
    const off = engine.registry.onStageChange((c) => void seen.push(c));
    const before = (await call(engine, 'registry.audit', {})).entries.length;
    const restored = await call(engine, 'registry.rollback', { name: 'champ', reason: 'ROI dropped in the first week' });
    off();
    expect(restored).toMatchObject({ version: 1, stage: 'production' });
    expect(await stages(engine, 'champ')).toEqual({ 1: 'production', 2: 'archived' });
    expect(await productionCount(engine)).toEqual({ champ: 1 });
    const added = (await call(engine, 'registry.audit', {})).entries.slice(before);
    expect(added.map((e) => [e.action, e.version, e.before?.stage, e.after?.stage])).toEqual([
      ['rollback', 2, 'production', 'archived'],
      ['rollback', 1, 'archived', 'production'],
    ]);
    expect(added[1].reason).toBe('ROI dropped in the first week');
    expect(seen).toEqual([
      { modelName: 'champ', version: 2, from: 'production', to: 'archived', actor: 'alice' },
      { modelName: 'champ', version: 1, from: 'archived', to: 'production', actor: 'alice' },
    ]);
    expect((await call(engine, 'registry.audit', { verify: true })).verification).toEqual({
      ok: true,
      entries: before + 2,
      firstBad: null,
    });
  });

  it('two promotions to production sent at once end with one production version and the other archived', async () => {
    await call(engine, 'registry.register', { model: 'champ-a', as: 'race' });
    await call(engine, 'registry.register', { model: 'champ-b', as: 'race' });
    for (const name of ['race:1', 'race:2']) await call(engine, 'registry.approve', { name, stage: 'production', comment: 'both good' });
    const both = await Promise.all([
      call(engine, 'registry.promote', { name: 'race:1', to: 'production' }),
      call(engine, 'registry.promote', { name: 'race:2', to: 'production' }),
    ]);
    expect(both.map((v) => v.stage)).toEqual(['production', 'production']);
    expect(Object.values(await stages(engine, 'race')).sort()).toEqual(['archived', 'production']);
    expect((await productionCount(engine)).race).toBe(1);
    expect((await call(engine, 'registry.audit', { verify: true })).verification?.ok).toBe(true);
  });

  it('refuses a rollback when no version was in production before', async () => {
    await call(engine, 'registry.register', { model: 'champ-a', as: 'solo' });
    const none = await refusal(engine, 'registry.rollback', { name: 'solo' });
    expect(none).toMatchObject({ kind: 'conflict', code: 'REGISTRY_NOTHING_TO_ROLL_BACK' });
    expect(none.message).toMatch(/no earlier production version/);
  });

  it('blocks a validation older than the training: a retrained model, and versions that hold its earlier training', async () => {
    const oldRun = (await engine.models.get('champ-a')).runId;
    await recordRetraining(engine, 'champ-a');
    // The version registered before holds the earlier training: validations of champ-a no longer judge it.
    await call(engine, 'registry.approve', { name: 'solo:1', stage: 'staging', comment: 'ok' });
    const old = await refusal(engine, 'registry.promote', { name: 'solo:1', to: 'staging' });
    expect(old.code).toBe('PROMOTION_BLOCKED');
    expect(old.message).toMatch(new RegExp(`holds training run ${oldRun.slice(0, 8)} of model champ-a, which has been retrained`));

    // The new training registers as a new version (not a duplicate); its only validation predates it.
    const v2 = await call(engine, 'registry.register', { model: 'champ-a', as: 'solo' });
    expect(v2).toMatchObject({ version: 2, validation: null });
    await call(engine, 'registry.approve', { name: 'solo:2', stage: 'staging', comment: 'ok' });
    const stale = await refusal(engine, 'registry.promote', { name: 'solo:2', to: 'staging' });
    expect(stale).toMatchObject({ kind: 'negative', code: 'PROMOTION_BLOCKED' });
    expect(stale.message).toMatch(/the latest validation of champ-a .* is older than its training/);
    expect(stale.details).toMatchObject({ training: { passed: true }, validation: { passed: false }, approval: { passed: true } });

    // Archived and development need no gate.
    expect(await call(engine, 'registry.promote', { name: 'solo:2', to: 'archived' })).toMatchObject({ stage: 'archived' });
    expect(await call(engine, 'registry.promote', { name: 'solo:2', to: 'development' })).toMatchObject({ stage: 'development' });
  });

  it('calls stage-change listeners after the commit; a throwing listener is logged and the move stands', async () => {
    const observed: string[] = [];
    const offReader = engine.registry.onStageChange(async (c) => {
      // Read through another connection: only a committed move is visible there.
      observed.push(`${c.version}:${c.to}:${(await engine.registry.version(c.modelName, c.version)).stage}`);
    });
    const offThrower = engine.registry.onStageChange(() => {
      throw new Error('MLflow is down');
    });
    const warned = new Promise<string>((resolve) => process.once('warning', (w) => resolve(w.message)));
    try {
      const archived = await call(engine, 'registry.archive', { name: 'solo:1', reason: 'superseded' });
      expect(archived).toMatchObject({ version: 1, stage: 'archived' });
      expect(observed).toEqual(['1:archived:archived']);
      expect(await warned).toMatch(/listener failed for version 1 of solo \(development → archived\); the move stands: MLflow is down/);
      expect(await stages(engine, 'solo')).toEqual({ 1: 'archived', 2: 'development' });
    } finally {
      offReader();
      offThrower();
    }
  });

  it('archive NAME without a version asks which when several versions are live, and refuses archiving twice', async () => {
    await call(engine, 'registry.register', { model: 'champ-b', as: 'solo' });
    const which = await refusal(engine, 'registry.archive', { name: 'solo' });
    expect(which).toMatchObject({ kind: 'usage', code: 'REGISTRY_VERSION_REQUIRED' });
    expect(which.message).toMatch(/say which, e\.g\. `bullpen registry archive solo:3`/);
    expect(await refusal(engine, 'registry.archive', { name: 'solo:1' })).toMatchObject({ code: 'REGISTRY_ALREADY_IN_STAGE' });
    expect(await refusal(engine, 'registry.promote', { name: 'solo:9', to: 'archived' })).toMatchObject({
      kind: 'notFound',
      code: 'REGISTRY_VERSION_NOT_FOUND',
    });
    expect(await refusal(engine, 'registry.promote', { name: 'solo:x', to: 'archived' })).toMatchObject({
      kind: 'input',
      code: 'INVALID_INPUT',
    });
  });

  it('keeps at most one production version per name and a whole audit chain after every change above', async () => {
    expect(await productionCount(engine)).toEqual({ champ: 1, race: 1 });
    const audit = await call(engine, 'registry.audit', { verify: true });
    expect(audit.verification).toMatchObject({ ok: true, firstBad: null, entries: audit.entries.length });
    expect(audit.entries.map((e) => e.seq)).toEqual(audit.entries.map((_e, i) => i + 1));
    for (const [i, e] of audit.entries.entries()) if (i > 0) expect(e.prevHash).toBe(audit.entries[i - 1].hash);
  });
});
