// MLflow's key rules and batch limits against the real servers: a run whose metric, param and tag names
// MLflow refuses (LightGBM's `ndcg@3`, a `:` in a tag) and whose curves hold more points than one
// log-batch request may carry is exported with the keys renamed, every point stored under its step, and
// the renames recorded as an artifact of the run.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src-main/engine/engine';
import { mlflowServers, requireMlflow } from '../../support/mlflow';
import { FAST, openMlEngine, runJobResult } from '../ml/mlWorkspace';
import { artifactText, experimentId, metricHistory, proxyPath, runsOf } from './mlflowRest';

const ok = requireMlflow();
/** Three curves of 700 points: 2100 points, more than two requests' worth (1000 metrics each). */
const STEPS = 700;

describe.skipIf(!ok)('export mlflow: keys renamed to MLflow rules and curves split across log-batch requests', () => {
  const id = randomUUID().slice(0, 8);
  let engine: Engine;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ engine, cleanup } = await openMlEngine(21));
    await runJobResult(engine, 'ml.train', { train: '2010', valid: '2011', name: 'plain', ...FAST });
    // A training run as a ranking objective would record it: LightGBM's own metric names, with `@`.
    const m = await engine.models.get('plain');
    const runId = await engine.runs.start({
      name: 'ranked',
      kind: 'train',
      target: m.target,
      featureSet: m.featureSet,
      featureVersions: m.featureVersions,
      params: { ...(await engine.runs.params(m.runId)), 'eval@k': 3 },
      tags: { 'note:source': 'ranking trial' },
    });
    const curve = (key: string, f: (step: number) => number) =>
      Array.from({ length: STEPS }, (_, i) => ({ key, value: f(i + 1), step: i + 1 }));
    await engine.runs.finish(runId, {
      metrics: [
        { key: 'ndcg@1', value: 0.61 },
        { key: 'logLoss', value: 0.68 },
        ...curve('valid.ndcg@3', (s) => 0.5 + s / (10 * STEPS)),
        ...curve('valid.map@5', (s) => 0.4 + s / (10 * STEPS)),
        ...curve('valid.binary_logloss', (s) => 0.7 - s / (100 * STEPS)),
      ],
      artifacts: [{ name: 'model.lgb', value: await engine.models.text(m) }],
      model: { ...m, name: 'ranked' },
    });
  }, 300_000);
  afterAll(async () => cleanup?.());

  for (const server of mlflowServers()) {
    it(`MLflow ${server.version}: renamed keys, all ${3 * STEPS} curve points by step, the renames as bullpen/key_renames.json`, async () => {
      const experiment = `bullpen-keys-${server.version}-${id}`;
      const r = await runJobResult(engine, 'export.mlflow', {
        model: 'ranked',
        trackingUri: server.uri,
        registeredName: `bullpen-keys-${server.version}-${id}`,
        experiment,
      });
      expect(r.renamedKeys).toEqual([
        { kind: 'metric', from: 'ndcg@1', to: 'ndcg_at_1' },
        { kind: 'metric', from: 'valid.map@5', to: 'valid.map_at_5' },
        { kind: 'metric', from: 'valid.ndcg@3', to: 'valid.ndcg_at_3' },
        { kind: 'param', from: 'eval@k', to: 'eval_at_k' },
        { kind: 'tag', from: 'note:source', to: 'bullpen.tag.note_source' },
      ]);
      const [run] = await runsOf(server.uri, await experimentId(server.uri, experiment));
      const params = Object.fromEntries(run.data.params.map((p) => [p.key, p.value]));
      expect(params.eval_at_k).toBe('3');
      expect(run.data.tags.find((t) => t.key === 'bullpen.tag.note_source')?.value).toBe('ranking trial');
      // MLflow refuses a log-batch request of more than 1000 metrics: every point arriving shows the split.
      for (const key of ['valid.ndcg_at_3', 'valid.map_at_5', 'valid.binary_logloss']) {
        const history = await metricHistory(server.uri, run.info.run_id, key);
        expect(
          history.map((p) => p.step).sort((a, b) => a - b),
          key,
        ).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
      }
      expect((await metricHistory(server.uri, run.info.run_id, 'ndcg_at_1')).map((p) => [p.step, p.value])).toEqual([[0, 0.61]]);
      const renames = JSON.parse(await artifactText(server.uri, `${proxyPath(run.info.artifact_uri)}/bullpen/key_renames.json`)) as unknown;
      expect(renames).toEqual(r.renamedKeys);
    }, 120_000);
  }
});
