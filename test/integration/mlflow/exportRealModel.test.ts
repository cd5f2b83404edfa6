// The whole export against the real MLflow servers (MLflow 3 and MLflow 2) with a model trained on real
// Retrosheet seasons, taken through the registry to production: MLflow then holds the run (params, metrics
// by step, tags, dataset), the validation report, a lightgbm-flavour model and a registered version whose
// `champion` alias Python loads with both of MLflow's loaders, predicting what Bullpen predicts to 1e-12.
// Stage moves in the registry then move the aliases in MLflow.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPinnacle } from '../../../src-main/engine/data/pinnacleImporter';
import { importRetrosheet } from '../../../src-main/engine/data/retrosheetImporter';
import { Engine } from '../../../src-main/engine/engine';
import { syncAliases } from '../../../src-main/engine/integrations/mlflow/syncAliases';
import { EXPORT_RECORD_TAG, exportRecords } from '../../../src-main/engine/integrations/mlflow/exportRecord';
import { modelExportResult } from '../../../src-main/shared/results';
import { servingMatrix } from '../../../src-main/engine/modeling/servingMatrix';
import type { StageChange } from '../../../src-main/engine/registry/registryService';
import { mlflowLoadCheck, mlflowServers, requireMlflow } from '../../support/mlflow';
import { needs } from '../../support/requirements';
import { hasSharedData, sharedDataPath } from '../../support/sharedData';
import { tempWorkspace } from '../../support/waitForEvent';
import { FAST, call, runJobResult } from '../ml/mlWorkspace';
import { LENIENT_POLICY } from '../registry/registryFixtures';
import {
  aliasesOf,
  artifactFiles,
  artifactText,
  experimentId,
  loggedModels,
  metricHistory,
  proxyPath,
  runsOf,
  versionsOf,
} from './mlflowRest';

const ok =
  requireMlflow() &&
  needs(
    'real MLB data at ../shared/data',
    hasSharedData(),
    'place the Retrosheet and Pinnacle files beside the repository (see ../shared/data/README.md) or set BULLPEN_SHARED_DATA',
  );

/** Rows scored in Python and in Bullpen: a few hundred real games of the season after training. */
const CHECK_ROWS = 400;
const TOLERANCE = 1e-12;

describe.skipIf(!ok)('export mlflow: a real model in MLflow 3 and MLflow 2, loaded back by Python with identical predictions', () => {
  const id = randomUUID().slice(0, 8);
  const registryName = `hw-${id}`;
  const experiment = `bullpen-export-test-${id}`;
  const registered = (major: number) => `bullpen-real-${major}-${id}`;
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;
  let engine: Engine;
  const changes: StageChange[] = [];

  beforeAll(async () => {
    tmp = await tempWorkspace();
    engine = await Engine.open({ workspacePath: tmp.path });
    await importRetrosheet(
      engine.workspace,
      [2014, 2015, 2016].map((s) => sharedDataPath('retrosheet', `GL${s}.TXT.gz`)),
    );
    await importPinnacle(engine.workspace, [
      sharedDataPath('pinnacle', 'mlb2016_games.csv'),
      sharedDataPath('pinnacle', 'mlb2016_lines.csv.gz'),
    ]);
    await call(engine, 'ml.policy.set', { text: 'autoValidate: false\n' });
    await call(engine, 'settings.set', { user: 'ana' });
    await runJobResult(engine, 'ml.train', {
      target: 'home_win',
      features: 'default',
      train: '2014',
      valid: '2015',
      name: 'real-hw',
      ...FAST,
    });
    await runJobResult(engine, 'ml.validate', { model: 'real-hw', policy: LENIENT_POLICY });
    await call(engine, 'registry.register', { model: 'real-hw', as: registryName });
    await call(engine, 'registry.approve', { name: `${registryName}:1`, stage: 'staging', comment: 'holdout fine' });
    await call(engine, 'registry.promote', { name: `${registryName}:1`, to: 'staging' });
    await call(engine, 'registry.approve', { name: `${registryName}:1`, stage: 'production', comment: 'ship it' });
    await call(engine, 'registry.promote', { name: `${registryName}:1`, to: 'production' });
    // What the lead wires when mlflow.exportOnPromotion is on: every committed stage move is mirrored in MLflow.
    engine.registry.onStageChange(async (change) => {
      changes.push(change);
      await syncAliases(engine, change);
    });
  }, 900_000);
  afterAll(async () => {
    await engine?.close();
    await tmp?.cleanup();
  });

  for (const server of mlflowServers()) {
    it(`MLflow ${server.version}: exports run, report, model and version; Python loads models:/NAME@champion and predicts within 1e-12`, async () => {
      const name = registered(server.version);
      const r = modelExportResult(
        await runJobResult(engine, 'export.mlflow', {
          model: `${registryName}:1`,
          trackingUri: server.uri,
          registeredName: name,
          experiment,
        }),
      );
      const model = await engine.models.get('real-hw');
      const trained = await engine.runs.get(model.runId);
      expect(r).toMatchObject({
        modelName: registryName,
        version: 1,
        stage: 'production',
        sourceModel: 'real-hw',
        runId: model.runId,
        trackingUri: server.uri,
        flow: server.version === 3 ? 'logged-model' : 'run-artifacts',
        registeredModel: name,
        modelVersion: '1',
        modelUri: `models:/${name}/1`,
        aliases: ['champion'],
        resumed: false,
      });
      expect(Number(r.serverVersion?.split('.')[0])).toBe(server.version);

      // The run: params as text, every curve point by step, Bullpen's tags, the training data as a dataset.
      const exp = await experimentId(server.uri, experiment);
      const runs = (await runsOf(server.uri, exp)).filter((x) =>
        x.data.tags.some((t) => t.key === 'bullpen.runId' && t.value === model.runId),
      );
      expect(runs).toHaveLength(1);
      const run = runs[0];
      expect(run.info.run_id).toBe(r.mlflowRunId);
      expect(run.info.status).toBe('FINISHED');
      const params = Object.fromEntries(run.data.params.map((p) => [p.key, p.value]));
      const bullpenParams = await engine.runs.params(model.runId);
      expect(Object.keys(params).sort()).toEqual(Object.keys(bullpenParams).sort());
      expect(params.learning_rate).toBe(String(bullpenParams.learning_rate));
      expect(params.trainSeasons).toBe('2014');
      const tags = Object.fromEntries(run.data.tags.map((t) => [t.key, t.value]));
      expect(tags).toMatchObject({
        'mlflow.user': 'ana',
        'mlflow.source.name': 'bullpen',
        'mlflow.source.type': 'LOCAL',
        'bullpen.runId': model.runId,
        'bullpen.dataHash': trained.dataHash,
        'bullpen.codeVersion': trained.codeVersion,
        'bullpen.featureSet': 'default',
        'validation.status': 'passed',
      });
      expect(tags['bullpen.featureSetHash']).toMatch(/^[0-9a-f]{16,}$/);
      for (const [key, points] of Object.entries(trained.curves)) {
        const history = await metricHistory(server.uri, run.info.run_id, key);
        expect(
          history.map((p) => p.step).sort((a, b) => a - b),
          key,
        ).toEqual(points.map((p) => p.step));
      }
      expect((await metricHistory(server.uri, run.info.run_id, 'logLoss')).map((p) => p.step)).toEqual([0]);
      expect(run.inputs.dataset_inputs).toHaveLength(1);
      expect(run.inputs.dataset_inputs[0].dataset).toMatchObject({ name: 'bullpen-default-home_win', digest: trained.dataHash });
      const runFiles = await artifactFiles(server.uri, proxyPath(run.info.artifact_uri));
      expect(runFiles).toEqual(expect.arrayContaining(['validation/validation.json', 'validation/report.html', 'bullpen/params.json']));
      const report = JSON.parse(await artifactText(server.uri, `${proxyPath(run.info.artifact_uri)}/validation/validation.json`)) as {
        status: string;
        modelName: string;
      };
      expect(report).toMatchObject({ status: 'passed', modelName: 'real-hw' });

      // The model: MLflow 3 as a READY logged model linked to the run; MLflow 2 under the run's artifacts.
      const modelFiles = [
        'MLmodel',
        'conda.yaml',
        'input_example.json',
        'model.lgb',
        'python_env.yaml',
        'requirements.txt',
        'serving_input_example.json',
      ];
      if (server.version === 3) {
        const logged = await loggedModels(server.uri, exp);
        expect(logged).toHaveLength(1);
        expect(logged[0]).toMatchObject({ model_id: r.loggedModelId, status: 'LOGGED_MODEL_READY', source_run_id: run.info.run_id });
        expect(run.outputs.model_outputs.map((o) => o.model_id)).toEqual([r.loggedModelId]);
        expect(await artifactFiles(server.uri, proxyPath(logged[0].artifact_uri))).toEqual(modelFiles);
      } else {
        expect(runFiles.filter((f) => f.startsWith('model/')).map((f) => f.slice('model/'.length))).toEqual(modelFiles);
        expect(tags['mlflow.log-model.history']).toContain('"flavors"');
      }

      // The registered version: Bullpen's stage, validation and approvals as tags; champion from production.
      const versions = await versionsOf(server.uri, name);
      expect(versions).toHaveLength(1);
      const v = versions[0];
      expect(v).toMatchObject({ version: '1', status: 'READY', run_id: run.info.run_id });
      const vtags = Object.fromEntries(v.tags.map((t) => [t.key, t.value]));
      expect(vtags).toMatchObject({ stage: 'production', 'validation.status': 'passed', 'bullpen.runId': model.runId });
      expect(vtags.approvals).toMatch(/^production:approved by ana at .*; staging:approved by ana at /);
      expect(await aliasesOf(server.uri, name)).toEqual({ champion: '1' });

      // Python: both loaders on real 2016 games the model never saw, against Bullpen's own predictions.
      const m = await servingMatrix(engine.workspace, model, [2016], true);
      const take = Math.min(CHECK_ROWS, m.rows);
      const rows = Array.from({ length: take }, (_, i) =>
        Array.from(m.features.subarray(i * m.cols, (i + 1) * m.cols), (x) => (Number.isNaN(x) ? null : x)),
      );
      expect(
        rows.some((row) => row.includes(null)),
        'the rows include missing values',
      ).toBe(true);
      const bullpen = await runJobResult(engine, 'ml.predict', { model: 'real-hw', seasons: '2016' });
      const byGame = new Map(bullpen.predictions.map((p) => [p.gameId, p.p]));
      const expected = m.gameIds.slice(0, take).map((g) => byGame.get(g) as number);
      expect(expected.every((p) => typeof p === 'number')).toBe(true);
      const python = mlflowLoadCheck(server, `models:/${name}@champion`, model.featureNames, rows);
      expect(python.lightgbm).toHaveLength(take);
      expect(python.pyfunc).toHaveLength(take);
      const maxDiff = (xs: number[]) => Math.max(...xs.map((x, i) => Math.abs(x - expected[i])));
      console.info(
        `[mlflow ${python.mlflowVersion}] ${take} rows: max |diff| lightgbm ${maxDiff(python.lightgbm)}, pyfunc ${maxDiff(python.pyfunc)}; ${r.requests} requests, ${r.durationMs} ms`,
      );
      expect(maxDiff(python.lightgbm)).toBeLessThanOrEqual(TOLERANCE);
      expect(maxDiff(python.pyfunc)).toBeLessThanOrEqual(TOLERANCE);

      // Recorded locally only now that it is done: on the training run's tags and in the audit trail.
      const record = exportRecords((await engine.runs.get(model.runId)).tags).find((x) => x.trackingUri === server.uri);
      expect(record).toMatchObject({
        mlflowRunId: run.info.run_id,
        registeredModel: name,
        modelVersion: '1',
        registryName,
        registryVersion: 1,
      });
      const audit = (await engine.registry.audit(registryName)).filter((e) => e.action === 'export');
      expect(audit.at(-1)).toMatchObject({
        actor: 'ana',
        version: 1,
        after: { trackingUri: server.uri, registeredModel: name, modelVersion: '1' },
      });
      expect((await engine.registry.verifyAudit()).ok).toBe(true);
    }, 300_000);
  }

  it('exporting again sends only what changed and creates nothing new', async () => {
    for (const server of mlflowServers()) {
      const name = registered(server.version);
      const before = await versionsOf(server.uri, name);
      const r = await runJobResult(engine, 'export.mlflow', {
        model: `${registryName}:1`,
        trackingUri: server.uri,
        registeredName: name,
        experiment,
      });
      expect(r).toMatchObject({ resumed: true, modelVersion: '1', aliases: ['champion'] });
      // The run's small artifacts are rewritten; the model is not uploaded again.
      expect(r.uploadedFiles).toBeLessThanOrEqual(3);
      expect(await versionsOf(server.uri, name)).toHaveLength(before.length);
      const exp = await experimentId(server.uri, experiment);
      expect((await runsOf(server.uri, exp)).filter((x) => x.data.tags.some((t) => t.key === 'bullpen.runId'))).toHaveLength(1);
      if (server.version === 3) expect(await loggedModels(server.uri, exp)).toHaveLength(1);
    }
  }, 300_000);

  it('moves the aliases in MLflow when the stage moves: a new champion, the old one archived, and back on rollback', async () => {
    // A second model for the same registry name, exported while in staging: it becomes the challenger.
    await runJobResult(engine, 'ml.train', {
      target: 'home_win',
      features: 'default',
      train: '2014',
      valid: '2015',
      name: 'real-hw-b',
      ...FAST,
      params: { ...FAST.params, learning_rate: 0.05 },
    });
    await runJobResult(engine, 'ml.validate', { model: 'real-hw-b', policy: LENIENT_POLICY });
    await call(engine, 'registry.register', { model: 'real-hw-b', as: registryName });
    await call(engine, 'registry.approve', { name: `${registryName}:2`, stage: 'staging', comment: 'try it' });
    await call(engine, 'registry.promote', { name: `${registryName}:2`, to: 'staging' });
    for (const server of mlflowServers()) {
      const r = await runJobResult(engine, 'export.mlflow', {
        model: `${registryName}:2`,
        trackingUri: server.uri,
        registeredName: registered(server.version),
        experiment,
      });
      expect(r).toMatchObject({ modelVersion: '2', aliases: ['challenger'] });
      expect(await aliasesOf(server.uri, registered(server.version))).toEqual({ champion: '1', challenger: '2' });
    }

    changes.length = 0;
    await call(engine, 'registry.approve', { name: `${registryName}:2`, stage: 'production', comment: 'better' });
    await call(engine, 'registry.promote', { name: `${registryName}:2`, to: 'production' });
    expect(changes.map((c) => [c.version, c.from, c.to])).toEqual([
      [1, 'production', 'archived'],
      [2, 'staging', 'production'],
    ]);
    for (const server of mlflowServers()) {
      const name = registered(server.version);
      expect(await aliasesOf(server.uri, name)).toEqual({ champion: '2' });
      const stages = (await versionsOf(server.uri, name)).map((v) => [v.version, v.tags.find((t) => t.key === 'stage')?.value]);
      expect(stages).toEqual([
        ['1', 'archived'],
        ['2', 'production'],
      ]);
    }

    await call(engine, 'registry.rollback', { name: registryName, reason: 'v2 misprices doubleheaders' });
    for (const server of mlflowServers()) {
      const name = registered(server.version);
      expect(await aliasesOf(server.uri, name)).toEqual({ champion: '1' });
      expect((await versionsOf(server.uri, name)).map((v) => v.tags.find((t) => t.key === 'stage')?.value)).toEqual([
        'production',
        'archived',
      ]);
      // Python follows the alias: champion is version 1's model again.
      const model = await engine.models.get('real-hw');
      const m = await servingMatrix(engine.workspace, model, [2016], true);
      const row = Array.from(m.features.subarray(0, m.cols), (x) => (Number.isNaN(x) ? null : x));
      const one = mlflowLoadCheck(server, `models:/${name}/1`, model.featureNames, [row]);
      const champion = mlflowLoadCheck(server, `models:/${name}@champion`, model.featureNames, [row]);
      expect(champion.lightgbm).toEqual(one.lightgbm);
    }
    const records = exportRecords((await engine.runs.get((await engine.models.get('real-hw-b')).runId)).tags);
    expect(records.map((x) => [x.registryName, x.registryVersion])).toEqual(mlflowServers().map(() => [registryName, 2]));
    expect(EXPORT_RECORD_TAG).toBe('export.mlflow');
  }, 600_000);
});
