/**
 * The plausibility evidence on real data (../shared/data): train on 2000–2014 (early stopping on 2015,
 * still strictly before 2016), cross-validate on 2000–2015 (season-forward, 5 seasons as test folds; and
 * walk-forward with the defaults), and backtest 2016 against Pinnacle's closing lines, once with the model
 * and once with the out-of-fold predictions of a season-forward CV on 2000–2016 (its last test fold is
 * 2016). Prints one JSON document and appends a row to bench/RESULTS.md.
 * Run: `npm run bench -- mlEvidence` (about 2–3 minutes on 2 cores).
 */
import { execSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { dispatch } from '../src-main/api/handlers';
import { Engine } from '../src-main/engine/engine';
import { jobResult, type Contract, type JobOpName, type ResultOf } from '../src-main/api/contract';
import { jobSchema } from '../src-main/shared/events';
import { ensureRealWorkspace } from './realWorkspace';

/** Runs a job op to its end; its result typed by the op's schema. */
async function job<K extends JobOpName>(engine: Engine, op: K, input: unknown): Promise<ResultOf<Contract[K]>> {
  const started = await dispatch(engine, op, input);
  if (!started.ok) throw new Error(`${op}: ${started.error.message}`);
  const done = await engine.jobs.settled(jobSchema.parse(started.output).id);
  if (done.state !== 'completed') throw new Error(`${op} ${done.state}: ${done.error}`);
  return jobResult(done, op);
}

const r4 = (x: number | null | undefined): number | null => (x === null || x === undefined ? null : +x.toFixed(4));

async function main(): Promise<void> {
  const engine = await Engine.open({ workspacePath: await ensureRealWorkspace() });
  try {
    const name = `evidence-${Date.now().toString(36)}`;
    const train = await job(engine, 'ml.train', { target: 'home_win', features: 'default', train: '2000-2014', valid: '2015', name });
    const seasonCv = await job(engine, 'ml.cv', { model: name, seasons: '2000-2015', scheme: 'season-forward', splits: 5 });
    const walkCv = await job(engine, 'ml.cv', { model: name, seasons: '2000-2015', scheme: 'walk-forward' });
    const bt = await job(engine, 'ml.backtest', { model: name, seasons: '2016', strategy: ['flat', 'edge', 'kelly'], odds: 'close' });
    // The CV's own out-of-sample predictions of 2016: each came from a fold model trained on earlier seasons only.
    const oofCv = await job(engine, 'ml.cv', { model: name, seasons: '2000-2016', scheme: 'season-forward', splits: 5 });
    const oofBt = await job(engine, 'ml.backtest', {
      run: oofCv.runId,
      seasons: '2016',
      strategy: ['flat', 'edge', 'kelly'],
      odds: 'close',
    });
    const result = {
      benchmark: 'mlEvidence',
      train: {
        games: train.games,
        bestIteration: train.bestIteration,
        valid2015: {
          logLoss: r4(train.metrics.logLoss),
          accuracy: r4(train.metrics.accuracy),
          auc: r4(train.metrics.auc),
          ece: r4(train.metrics.ece),
        },
      },
      cvSeasonForward: {
        logLoss: r4(seasonCv.metrics.logLoss),
        accuracy: r4(seasonCv.metrics.accuracy),
        folds: seasonCv.folds.map((f) => ({ test: f.testStart.slice(0, 4), logLoss: r4(f.logLoss), accuracy: r4(f.accuracy) })),
      },
      cvWalkForward: { logLoss: r4(walkCv.metrics.logLoss), accuracy: r4(walkCv.metrics.accuracy), games: walkCv.metrics.games },
      backtest2016: {
        games: bt.games,
        model: { logLoss: r4(bt.model?.logLoss), accuracy: r4(bt.model?.accuracy) },
        pinnacleClose: { logLoss: r4(bt.model?.marketLogLoss), accuracy: r4(bt.model?.marketAccuracy) },
        strategies: bt.strategies.map((s) => ({
          label: s.label,
          bets: s.bets,
          hitRate: r4(s.hitRate),
          roi: r4(s.roi),
          roiCi: s.roiCi?.map((v) => r4(v)),
          roiPValue: r4(s.roiPValue),
        })),
        best: bt.best,
        deflatedSharpe: r4(bt.deflatedSharpe),
        pbo: r4(bt.pbo),
      },
      backtest2016CvOof: {
        cv: { seasons: '2000-2016', scheme: 'season-forward', logLoss: r4(oofCv.metrics.logLoss), accuracy: r4(oofCv.metrics.accuracy) },
        games: oofBt.games,
        model: { logLoss: r4(oofBt.model?.logLoss), accuracy: r4(oofBt.model?.accuracy) },
        pinnacleClose: { logLoss: r4(oofBt.model?.marketLogLoss), accuracy: r4(oofBt.model?.marketAccuracy) },
        strategies: oofBt.strategies.map((s) => ({
          label: s.label,
          bets: s.bets,
          hitRate: r4(s.hitRate),
          roi: r4(s.roi),
          roiCi: s.roiCi?.map((v) => r4(v)),
          roiPValue: r4(s.roiPValue),
        })),
        best: oofBt.best,
        deflatedSharpe: r4(oofBt.deflatedSharpe),
        pbo: r4(oofBt.pbo),
      },
    };
    console.log(JSON.stringify(result, null, 2));
    let commit = 'unknown';
    try {
      commit = execSync('git rev-parse --short HEAD', { cwd: __dirname, stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim();
    } catch {
      // not a git checkout
    }
    const b = result.backtest2016;
    const o = result.backtest2016CvOof;
    const s = (label: string, from = b) => from.strategies.find((x) => x.label.startsWith(label));
    const roi = (x: ReturnType<typeof s>) =>
      x ? `${((x.roi ?? 0) * 100).toFixed(1)}% [${(x.roiCi ?? []).map((v) => ((v ?? 0) * 100).toFixed(1)).join(', ')}]` : '—';
    appendFileSync(
      join(__dirname, 'RESULTS.md'),
      `| ${new Date().toISOString().slice(0, 10)} | ${commit} | ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB | mlEvidence | real data: LightGBM on default features, train 2000–2014 + early stop 2015, CV 2000–2015, backtest 2016 vs Pinnacle close (model; and CV 2000–2016 out-of-fold) | ` +
        `valid 2015 acc ${result.train.valid2015.accuracy} ll ${result.train.valid2015.logLoss}; CV season-forward acc ${result.cvSeasonForward.accuracy} ll ${result.cvSeasonForward.logLoss}, walk-forward acc ${result.cvWalkForward.accuracy} ll ${result.cvWalkForward.logLoss}; ` +
        `2016 model acc ${b.model.accuracy} ll ${b.model.logLoss} vs Pinnacle close acc ${b.pinnacleClose.accuracy} ll ${b.pinnacleClose.logLoss}; ROI flat ${roi(s('flat'))}, edge ${roi(s('edge'))}, favourite ${roi(s('favorite'))}; DSR ${b.deflatedSharpe}, PBO ${b.pbo}; ` +
        `CV-OOF 2016 (${o.games} games) acc ${o.model.accuracy} ll ${o.model.logLoss} vs close acc ${o.pinnacleClose.accuracy} ll ${o.pinnacleClose.logLoss}, ROI flat ${roi(s('flat', o))}, edge ${roi(s('edge', o))}; DSR ${o.deflatedSharpe}, PBO ${o.pbo} | ` +
        `model − market log loss ${r4((b.model.logLoss ?? 0) - (b.pinnacleClose.logLoss ?? 0))} (CV-OOF ${r4((o.model.logLoss ?? 0) - (o.pinnacleClose.logLoss ?? 0))}) |\n`,
    );
  } finally {
    await engine.close();
  }
}

void main();
