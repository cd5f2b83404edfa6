import { backtestModel, precheckBacktest } from '../../engine/evaluation/backtest/backtestModel';
import { precheckCv, runCv } from '../../engine/evaluation/cv/runCv';
import { listModels } from '../../engine/tracking/modelStore';
import { RunStore } from '../../engine/tracking/runStore';
import type { RunDetail } from '../../engine/tracking/runTypes';
import { precheckPredict, predictModel } from '../../engine/training/predictModel';
import { precheckTrain, trainModel } from '../../engine/training/trainModel';
import type { mlOps } from '../contract/ops/ml';
import type { HandlersFor } from './handler';

const tagPairs = (list: string[]): Record<string, string> =>
  Object.fromEntries(list.map((t) => [t.slice(0, t.indexOf('=')).trim(), t.slice(t.indexOf('=') + 1).trim()]));

export const mlHandlers: HandlersFor<keyof typeof mlOps> = {
  'ml.train': async (input, engine) => {
    await precheckTrain(engine, input);
    return engine.jobs.start('ml.train', input, (ctx) => trainModel(engine, input, ctx));
  },
  'ml.predict': async (raw, engine, caller) => {
    // Paths are settled for this caller before the job starts; the job then only uses the checked ones.
    const input = {
      ...raw,
      ...(raw.input !== undefined ? { input: engine.files.readable(raw.input, caller, '--input') } : {}),
      ...(raw.out !== undefined ? { out: engine.files.writable(raw.out, caller, '--out') } : {}),
    };
    await precheckPredict(engine, input);
    return engine.jobs.start('ml.predict', input, (ctx) => predictModel(engine, input, ctx));
  },
  'ml.cv': async (input, engine) => {
    await precheckCv(engine, input);
    return engine.jobs.start('ml.cv', input, (ctx) => runCv(engine, input, ctx));
  },
  'ml.backtest': async (input, engine) => {
    await precheckBacktest(engine, input);
    return engine.jobs.start('ml.backtest', input, (ctx) => backtestModel(engine, input, ctx));
  },
  'ml.runs.list': async (input, engine) => ({
    runs: await new RunStore(engine.workspace).list({
      ...(input.search ? { search: input.search } : {}),
      ...(input.kind ? { kind: input.kind } : {}),
      ...(input.status ? { status: input.status } : {}),
      filters: input.filter ?? [],
      sort: input.sort,
      order: input.order,
      topLevel: !input.children,
      limit: input.limit,
    }),
  }),
  'ml.runs.get': async (input, engine) => new RunStore(engine.workspace).get(input.id),
  'ml.runs.compare': async (input, engine) => {
    const store = new RunStore(engine.workspace);
    const runs: RunDetail[] = [];
    for (const id of input.ids) runs.push(await store.get(id));
    const summaries = runs.map(({ featureVersions: _f, curves: _c, artifacts: _a, data: _d, children: _ch, ...s }) => s);
    const metricKeys = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort();
    const paramKeys = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort();
    return {
      runs: summaries,
      metrics: metricKeys.map((key) => {
        const values = runs.map((r) => r.metrics[key] ?? null);
        const base = values[0];
        return { key, values, deltas: values.map((v) => (v === null || base === null ? null : v - base)) };
      }),
      params: paramKeys.map((key) => {
        const values = runs.map((r) => r.params[key] ?? null);
        return { key, values, differs: new Set(values).size > 1 };
      }),
    };
  },
  'ml.runs.tag': async (input, engine) => {
    const store = new RunStore(engine.workspace);
    return store.setTags(await store.resolveId(input.id), tagPairs(input.set), input.remove);
  },
  'ml.models.list': async (_input, engine) => ({ models: await listModels(engine.workspace) }),
};
