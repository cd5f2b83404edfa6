/**
 * Validation on real data (../shared/data): a model trained on 2000–2014 (early stopping on 2015) is
 * validated on 2016 against Pinnacle's closing lines, first with the default policy (every CV, CPCV and
 * backtest run from scratch: the time split shows where validation spends it), then with the realistic
 * policy of bench/policies/realistic.yaml (reusing those runs). Also validates a model trained on all 17
 * seasons (2000–2015, early stopping on 2016), whose evidence is walk-forward out-of-fold predictions.
 * Prints one JSON document. Run: `npm run bench -- validation` (about 10 minutes on 2 cores).
 */
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { dispatch } from '../src-main/api/handlers';
import { Engine } from '../src-main/engine/engine';
import { jobResult, type Contract, type JobOpName, type ResultOf } from '../src-main/api/contract';
import { jobSchema } from '../src-main/shared/events';
import { ensureRealWorkspace } from './realWorkspace';

async function job<K extends JobOpName>(engine: Engine, op: K, input: unknown): Promise<ResultOf<Contract[K]>> {
  const started = await dispatch(engine, op, input);
  if (!started.ok) throw new Error(`${op}: ${started.error.message}`);
  const done = await engine.jobs.settled(jobSchema.parse(started.output).id);
  if (done.state !== 'completed') throw new Error(`${op} ${done.state}: ${done.error}`);
  return jobResult(done, op);
}

const r4 = (x: number | null | undefined): number | null => (x === null || x === undefined ? null : +x.toFixed(4));

async function summarize(engine: Engine, r: ResultOf<Contract['ml.validate']>) {
  const run = await engine.runs.get(r.runId);
  const t = (k: string) => r4((run.metrics[`time.${k}`] ?? 0) / 1000);
  return {
    status: r.report.status,
    evaluation: r.report.windows.evaluation,
    summary: r.report.summary,
    gates: r.report.gates.map((g) => ({
      name: g.name,
      value: r4(g.value),
      threshold: g.threshold,
      passed: g.passed,
      explanation: g.explanation,
    })),
    runs: r.report.runs.map((x) => `${x.role}${x.reused ? ' (reused)' : ''}`),
    seconds: {
      total: t('totalMs'),
      cv: t('cvMs'),
      backtest: t('backtestMs'),
      cpcv: t('cpcvMs'),
      leakageGuard: t('leakageMs'),
      gates: t('gatesMs'),
    },
  };
}

async function main(): Promise<void> {
  const engine = await Engine.open({ workspacePath: await ensureRealWorkspace() });
  try {
    const stamp = Date.now().toString(36);
    const name = `validate-2014-${stamp}`;
    await job(engine, 'ml.train', { target: 'home_win', features: 'default', train: '2000-2014', valid: '2015', name, validate: false });
    const byDefault = await summarize(engine, await job(engine, 'ml.validate', { model: name, seasons: '2016' }));
    const realistic = await summarize(
      engine,
      await job(engine, 'ml.validate', { model: name, seasons: '2016', policy: join(__dirname, 'policies', 'realistic.yaml') }),
    );
    const all = `validate-2015-${stamp}`;
    await job(engine, 'ml.train', {
      target: 'home_win',
      features: 'default',
      train: '2000-2015',
      valid: '2016',
      name: all,
      validate: false,
    });
    const seventeen = await summarize(engine, await job(engine, 'ml.validate', { model: all }));
    const result = {
      benchmark: 'validation',
      machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30) },
      model2014: { defaultPolicy: byDefault, realisticPolicy: realistic },
      model17Seasons: seventeen,
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await engine.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
