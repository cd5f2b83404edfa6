/**
 * Hyperparameter sweeps side by side in one run: Bullpen's `ml.optimize` against Optuna 5.0 + Python
 * LightGBM 4.1 (a virtual environment bench/sweeps/setup-venv.sh makes once), on the same feature matrix
 * (17 real seasons, default features, home_win: the engine's loadFeatureMatrix written to Parquet and
 * checked by checksum on the Python side), the same 5-split walk-forward folds and inner early-stopping
 * hold-outs (exported as row indices), the same search space, objective (mean test log loss over the
 * folds), pruner (median at fold ends, 5 startup trials; or none on both), trial count and 2 workers with
 * 1 LightGBM thread each. Per seed: wall time, best CV log loss, the best-so-far curve over time and when
 * Bullpen's curve first reaches Optuna's final best; also Bullpen's TPE against its random sampler.
 *
 * Run: `npx tsx bench/sweeps.ts [--seeds 1,2,3,4,5] [--trials 100] [--workers 2] [--pruner median|none]
 *   [--random-seeds LIST | --no-random] [--markdown FILE]` or `npm run bench -- sweeps` with BULLPEN_SWEEP_SEEDS /
 *   _TRIALS / _WORKERS / _PRUNER / _RANDOM_SEEDS / _RANDOM=0 / _MARKDOWN. `--from RUNS.json` rebuilds the report from a saved run.
 * Needs ../shared/data and pip access on the first run. Writes its markdown section to --markdown
 * (default /tmp/bullpen-bench-sweeps/section.md) and every run's trials to runs.json beside it.
 */
import { execSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { jobResult, type Contract, type ResultOf } from '../src-main/api/contract';
import { dispatch } from '../src-main/api/handlers';
import { Engine } from '../src-main/engine/engine';
import { loadFeatureMatrix } from '../src-main/engine/modeling/featureMatrix';
import { jobSchema } from '../src-main/shared/events';
import { DEFAULT_SEARCH_SPACE } from '../src-main/shared/sweep/distributions';
import { sweepTrialsSchema } from '../src-main/shared/results/sweep';
import { ensureRealWorkspace } from './realWorkspace';
import { bestAt, bestCurve, counts, finalBest, median, timeToReach, trialsToReach, type SweepRun, type TrialPoint } from './sweeps/curves';
import { exportMatrix, SWEEP_CV, type MatrixExport } from './sweeps/exportMatrix';

const SEASONS = '2000-2016';

interface Options {
  seeds: number[];
  trials: number;
  workers: number;
  pruner: 'median' | 'none';
  /** Seeds Bullpen's random sampler also runs with (TPE vs random); empty: none. */
  randomSeeds: number[];
  markdown: string;
  from: string | null;
}

function options(argv: string[]): Options {
  const flag = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const env = (name: string): string | undefined => process.env[`BULLPEN_SWEEP_${name}`];
  const list = (text: string): number[] => (text.trim() === '' ? [] : text.split(',').map((s) => Number(s.trim())));
  const seeds = list(flag('seeds') ?? env('SEEDS') ?? '1,2,3,4,5');
  const randomSeeds =
    argv.includes('--no-random') || env('RANDOM') === '0' ? [] : list(flag('random-seeds') ?? env('RANDOM_SEEDS') ?? seeds.join(','));
  const trials = Number(flag('trials') ?? env('TRIALS') ?? 100);
  const workers = Number(flag('workers') ?? env('WORKERS') ?? 2);
  const pruner = flag('pruner') ?? env('PRUNER') ?? 'median';
  if (seeds.length === 0 || seeds.some((s) => !Number.isInteger(s)))
    throw new Error('--seeds takes a comma-separated list of integers, e.g. 1,2,3');
  if (randomSeeds.some((s) => !seeds.includes(s)))
    throw new Error('--random-seeds must be among --seeds (random is compared with the TPE sweep of the same seed)');
  if (!Number.isInteger(trials) || trials < 1) throw new Error('--trials takes a positive integer');
  if (!Number.isInteger(workers) || workers < 1) throw new Error('--workers takes a positive integer');
  if (pruner !== 'median' && pruner !== 'none') throw new Error('--pruner is median or none');
  return {
    seeds,
    trials,
    workers,
    pruner,
    randomSeeds,
    markdown: flag('markdown') ?? env('MARKDOWN') ?? '/tmp/bullpen-bench-sweeps/section.md',
    from: flag('from') ?? null,
  };
}

interface OptunaOutput {
  check: { rows: number; cols: number; checksum: string; expectedChecksum: string };
  versions: Record<string, string>;
  loadSeconds: number;
  optimizeStartSeconds: number;
  wallSeconds: number;
  best: { number: number; value: number; params: Record<string, number> } | null;
  trials: { number: number; state: string; value: number | null; endSeconds: number | null; params: Record<string, number> }[];
}

interface BullpenExtra {
  sweepId: string;
  defaultValue: number | null;
  improvement: ResultOf<Contract['ml.optimize']>['improvement'];
  timings: ResultOf<Contract['ml.optimize']>['timings'];
  best: { number: number; value: number; params: Record<string, unknown> } | null;
  /** Optuna's objective (Python, its own Datasets) on Bullpen's best parameters: the two objectives agree? */
  crossCheck: { value: number; foldLogLoss: number[] } | null;
}

interface Saved {
  meta: {
    date: string;
    commit: string;
    machine: string;
    options: Omit<Options, 'from' | 'markdown'>;
    matrix: Pick<MatrixExport, 'rows' | 'cols' | 'checksum'> & {
      pythonChecksum: string;
      folds: { fit: number; inner: number; test: number; test0: string; test1: string }[];
    };
    versions: Record<string, string>;
  };
  runs: (SweepRun & { extra?: BullpenExtra; optunaBest?: OptunaOutput['best'] })[];
}

/** Runs a command, resolving with its stdout; its stderr goes to ours. */
function capture(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

function pythonEnv(): string {
  const r = spawnSync('bash', [join(__dirname, 'sweeps', 'setup-venv.sh')], { stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error('could not make the Optuna virtual environment (bench/sweeps/setup-venv.sh)');
  return r.stdout.toString().trim().split('\n').pop()!;
}

const pyScript = join(__dirname, 'sweeps', 'optuna_sweep.py');

async function runOptuna(py: string, ex: MatrixExport, o: Options, seed: number): Promise<{ run: SweepRun; out: OptunaOutput }> {
  const args = [
    pyScript,
    '--parquet',
    ex.parquet,
    '--folds',
    ex.foldsJson,
    '--seed',
    String(seed),
    '--trials',
    String(o.trials),
    '--jobs',
    String(o.workers),
    '--pruner',
    o.pruner,
  ];
  const out = JSON.parse(await capture(py, args)) as OptunaOutput;
  if (out.check.checksum !== ex.checksum)
    throw new Error(`the Python side read a different matrix (checksum ${out.check.checksum}, exported ${ex.checksum})`);
  const trials: TrialPoint[] = out.trials.map((t) => ({
    number: t.number,
    state: t.state === 'complete' || t.state === 'pruned' || t.state === 'fail' ? t.state : 'running',
    value: t.state === 'complete' ? t.value : null,
    endSeconds: t.endSeconds,
  }));
  return { run: { system: 'optuna', sampler: 'tpe', seed, wallSeconds: out.wallSeconds, trials }, out };
}

async function runBullpen(
  engine: Engine,
  o: Options,
  seed: number,
  sampler: 'tpe' | 'random',
  stamp: string,
): Promise<{ run: SweepRun; extra: BullpenExtra }> {
  const t0 = Date.now();
  const started = await dispatch(engine, 'ml.optimize', {
    target: 'home_win',
    features: 'default',
    seasons: SEASONS,
    cv: SWEEP_CV.scheme,
    splits: SWEEP_CV.splits,
    trainDays: SWEEP_CV.trainDays,
    testDays: SWEEP_CV.testDays,
    gap: SWEEP_CV.gap,
    embargo: SWEEP_CV.embargo,
    trials: o.trials,
    sampler,
    pruner: o.pruner,
    workers: o.workers,
    seed,
    name: `bench-sweeps-${sampler}-seed${seed}-${stamp}`,
  });
  if (!started.ok) throw new Error(`ml.optimize: ${started.error.message}`);
  const done = await engine.jobs.settled(jobSchema.parse(started.output).id);
  const wallSeconds = (Date.now() - t0) / 1000;
  if (done.state !== 'completed') throw new Error(`ml.optimize ${done.state}: ${done.error}`);
  const summary = jobResult(done, 'ml.optimize');
  const listed = await dispatch(engine, 'ml.sweeps.trials', { id: summary.sweepId });
  if (!listed.ok) throw new Error(`ml.sweeps.trials: ${listed.error.message}`);
  const { trials } = sweepTrialsSchema.parse(listed.output);
  const points: TrialPoint[] = trials.map((t) => ({
    number: t.number,
    state: t.state,
    value: t.state === 'complete' && t.values ? t.values[0] : null,
    endSeconds: t.finishedAt ? (Date.parse(t.finishedAt) - t0) / 1000 : null,
  }));
  return {
    run: { system: 'bullpen', sampler, seed, wallSeconds, trials: points },
    extra: {
      sweepId: summary.sweepId,
      defaultValue: summary.defaultParams.values?.[0] ?? null,
      improvement: summary.improvement,
      timings: summary.timings,
      best: summary.best ? { number: summary.best.trialNumber, value: summary.best.values[0], params: summary.best.params } : null,
      crossCheck: null,
    },
  };
}

function commitOf(): string {
  try {
    const head = execSync('git rev-parse --short HEAD', { cwd: __dirname, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
    const dirty =
      execSync('git status --porcelain', { cwd: __dirname, stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim() !== '';
    return dirty ? `${head}+` : head;
  } catch {
    return 'unknown';
  }
}

async function measure(o: Options, outDir: string): Promise<Saved> {
  const py = pythonEnv();
  const engine = await Engine.open({ workspacePath: await ensureRealWorkspace() });
  const saved: Saved = {
    meta: {
      date: new Date().toISOString().slice(0, 10),
      commit: commitOf(),
      machine: `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB`,
      options: { seeds: o.seeds, trials: o.trials, workers: o.workers, pruner: o.pruner, randomSeeds: o.randomSeeds },
      matrix: { rows: 0, cols: 0, checksum: '', pythonChecksum: '', folds: [] },
      versions: {},
    },
    runs: [],
  };
  const save = () => writeFileSync(join(outDir, 'runs.json'), JSON.stringify(saved));
  try {
    const m = await loadFeatureMatrix(engine.workspace, { set: 'default', target: 'home_win', seasons: SEASONS });
    const ex = await exportMatrix(m, join(outDir, 'matrix'));
    const check = JSON.parse(await capture(py, [pyScript, '--parquet', ex.parquet, '--folds', ex.foldsJson, '--check-only'])) as {
      check: OptunaOutput['check'];
    };
    if (check.check.rows !== m.rows || check.check.cols !== m.cols || check.check.checksum !== ex.checksum)
      throw new Error(
        `the Parquet export does not match the engine's matrix: ${JSON.stringify(check.check)} vs ${m.rows}×${m.cols} ${ex.checksum}`,
      );
    saved.meta.matrix = {
      rows: ex.rows,
      cols: ex.cols,
      checksum: ex.checksum,
      pythonChecksum: check.check.checksum,
      folds: ex.folds.map((f) => ({ fit: f.fit.length, inner: f.inner.length, test: f.test.length, test0: f.testStart, test1: f.testEnd })),
    };
    process.stderr.write(`matrix ${ex.rows}×${ex.cols} exported, checksum ${ex.checksum} matches the Python read\n`);
    const stamp = Date.now().toString(36);
    for (const [i, seed] of o.seeds.entries()) {
      // Alternate which system goes first, so a drift in the machine's load does not favour one side.
      const order: ('optuna' | 'bullpen')[] = i % 2 === 0 ? ['optuna', 'bullpen'] : ['bullpen', 'optuna'];
      for (const system of order) {
        if (system === 'optuna') {
          const { run, out } = await runOptuna(py, ex, o, seed);
          saved.meta.versions = out.versions;
          saved.runs.push({ ...run, optunaBest: out.best });
        } else {
          const { run, extra } = await runBullpen(engine, o, seed, 'tpe', stamp);
          if (extra.best) {
            const cc = JSON.parse(
              await capture(py, [
                pyScript,
                '--parquet',
                ex.parquet,
                '--folds',
                ex.foldsJson,
                '--seed',
                String(seed),
                '--evaluate',
                JSON.stringify(extra.best.params),
              ]),
            ) as { value: number; foldLogLoss: number[] };
            extra.crossCheck = { value: cc.value, foldLogLoss: cc.foldLogLoss };
          }
          saved.runs.push({ ...run, extra });
        }
        const last = saved.runs[saved.runs.length - 1];
        process.stderr.write(
          `seed ${seed} ${last.system}: ${last.wallSeconds.toFixed(1)} s, best ${finalBest(last)?.toFixed(5) ?? 'none'}\n`,
        );
        save();
      }
      if (o.randomSeeds.includes(seed)) {
        const { run, extra } = await runBullpen(engine, o, seed, 'random', stamp);
        saved.runs.push({ ...run, extra });
        process.stderr.write(
          `seed ${seed} bullpen random: ${run.wallSeconds.toFixed(1)} s, best ${finalBest(run)?.toFixed(5) ?? 'none'}\n`,
        );
        save();
      }
    }
  } finally {
    await engine.close();
  }
  return saved;
}

const f5 = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(5));
const s1 = (x: number | null | undefined): string => (x === null || x === undefined ? 'not reached' : `${x.toFixed(1)} s`);

/** The markdown section for bench/RESULTS.md. */
export function report(saved: Saved): string {
  const { meta } = saved;
  const o = meta.options;
  const seeds = o.seeds;
  const find = (system: 'optuna' | 'bullpen', sampler: 'tpe' | 'random', seed: number) =>
    saved.runs.find((r) => r.system === system && r.sampler === sampler && r.seed === seed);
  const rows: string[] = [];
  const ratios: number[] = [];
  const optWall: number[] = [];
  const bpWall: number[] = [];
  const optBest: number[] = [];
  const bpBest: number[] = [];
  const optReach: number[] = [];
  const bpReach: number[] = [];
  let notReached = 0;
  let noWorse = 0;
  for (const seed of seeds) {
    const opt = find('optuna', 'tpe', seed);
    const bp = find('bullpen', 'tpe', seed);
    if (!opt || !bp) continue;
    const ob = finalBest(opt);
    const bb = finalBest(bp);
    const optOwn = ob === null ? null : timeToReach(opt, ob);
    const bpToOpt = ob === null ? null : timeToReach(bp, ob);
    const ratio = optOwn !== null && bpToOpt !== null ? bpToOpt / optOwn : null;
    if (ratio !== null) ratios.push(ratio);
    else notReached++;
    optWall.push(opt.wallSeconds);
    bpWall.push(bp.wallSeconds);
    if (ob !== null) optBest.push(ob);
    if (bb !== null) bpBest.push(bb);
    if (optOwn !== null) optReach.push(optOwn);
    bpReach.push(bpToOpt ?? Infinity);
    if (ob !== null && bb !== null && bb <= ob) noWorse++;
    const oc = counts(opt);
    const bc = counts(bp);
    rows.push(
      `| ${seed} | ${opt.wallSeconds.toFixed(1)} s | ${f5(ob)} | ${s1(optOwn)} (trial ${opt.trials.find((t) => t.value === ob)?.number ?? '?'}) | ${oc.complete}/${oc.pruned}/${oc.fail} | ` +
        `${bp.wallSeconds.toFixed(1)} s | ${f5(bb)} | ${s1(bpToOpt)} | ${bc.complete}/${bc.pruned}/${bc.fail} | ${ratio === null ? 'n/a' : ratio.toFixed(2)} | ${f5(bp.extra?.crossCheck?.value)} |`,
    );
  }
  // Not reached counts as infinitely slow, so the median stays honest.
  const allRatios = [...ratios, ...Array<number>(notReached).fill(Infinity)];
  const medRatio = median(allRatios);
  const medOptBest = median(optBest);
  const medBpBest = median(bpBest);

  const horizon = Math.max(...saved.runs.filter((r) => r.sampler === 'tpe').map((r) => r.wallSeconds));
  const checkpoints = [30, 60, 120, 240, 480, 900, 1800, 3600].filter((c) => c < horizon).concat([Math.ceil(horizon)]);
  const curveRows = checkpoints.map((c) => {
    const at = (system: 'optuna' | 'bullpen') =>
      median(seeds.map((s) => find(system, 'tpe', s)).flatMap((r) => (r ? [bestAt(r, c) ?? Infinity] : [])));
    return `| ${c} s | ${f5(at('optuna'))} | ${f5(at('bullpen'))} |`;
  });

  const randRows: string[] = [];
  if (o.randomSeeds.length)
    for (const seed of o.randomSeeds) {
      const tpe = find('bullpen', 'tpe', seed);
      const rnd = find('bullpen', 'random', seed);
      if (!tpe || !rnd) continue;
      const rb = finalBest(rnd);
      const tb = finalBest(tpe);
      randRows.push(
        `| ${seed} | ${f5(tb)} | ${f5(rb)} | ${rb === null ? 'n/a' : (trialsToReach(tpe, rb) ?? 'not reached')} | ${rb === null ? 'n/a' : trialsToReach(rnd, rb)} | ${tb === null ? 'n/a' : (trialsToReach(rnd, tb) ?? 'not reached')} | ${rnd.wallSeconds.toFixed(1)} s |`,
      );
    }

  const bpRuns = saved.runs.filter((r) => r.system === 'bullpen' && r.sampler === 'tpe');
  const improvements = bpRuns.flatMap((r) => (r.extra?.improvement ? [{ seed: r.seed, i: r.extra.improvement }] : []));
  const builds = bpRuns.map((r) => r.extra?.timings?.datasetBuilds ?? 0);
  const spaceText = DEFAULT_SEARCH_SPACE.params
    .map((p) =>
      p.distribution.type === 'categorical'
        ? p.name
        : `${p.name} ${p.distribution.low}–${p.distribution.high}${p.distribution.log ? ' (log)' : ''}`,
    )
    .join(', ');
  const randomFlag =
    o.randomSeeds.length === 0
      ? ' --no-random'
      : o.randomSeeds.join(',') === seeds.join(',')
        ? ''
        : ` --random-seeds ${o.randomSeeds.join(',')}`;
  const targetTime = Number.isFinite(medRatio) && medRatio <= 0.5 ? 'met' : 'not met';
  const targetBest = medBpBest <= medOptBest ? 'met' : 'not met';
  const summaryRow =
    `| ${meta.date} | ${meta.commit} | ${meta.machine} | sweeps | ml.optimize (TPE, ${o.pruner} pruner) vs Optuna ${meta.versions.optuna ?? '?'} TPE + Python LightGBM ${meta.versions.lightgbm ?? '?'}: ` +
    `${o.trials} trials, ${o.workers} workers × 1 thread, 5-fold walk-forward on ${meta.matrix.rows} games, ${seeds.length} seed${seeds.length === 1 ? '' : 's'} (medians) | ` +
    `wall ${median(bpWall).toFixed(0)} s vs ${median(optWall).toFixed(0)} s; best log loss ${f5(medBpBest)} vs ${f5(medOptBest)} (Bullpen no worse in ${noWorse}/${seeds.length}); ` +
    `time to Optuna's final best ${Number.isFinite(median(bpReach)) ? `${median(bpReach).toFixed(0)} s` : 'not reached'} vs ${median(optReach).toFixed(0)} s${notReached ? ` (not reached in ${notReached}/${seeds.length})` : ''} | ` +
    `${Number.isFinite(medRatio) ? `${medRatio.toFixed(2)}×` : 'n/a (median not reached)'} time to Optuna's best |`;

  return [
    `## Hyperparameter sweeps vs Optuna (issue 11)`,
    ``,
    `| date | commit | machine | benchmark | compared | medians | ratio |`,
    `| --- | --- | --- | --- | --- | --- | --- |`,
    summaryRow,
    ``,
    `Targets (medians over ${seeds.length} seed${seeds.length === 1 ? '' : 's'}): Bullpen's time to Optuna's final best ≤ 0.5× Optuna's own — **${targetTime}** ` +
      `(${Number.isFinite(medRatio) ? `${medRatio.toFixed(2)}×` : `not reached in ${notReached}/${seeds.length} seeds, which counts as infinitely slow`}${ratios.length ? `; per seed where reached: ${ratios.map((r) => `${r.toFixed(2)}×`).join(', ')}` : ''}); ` +
      `Bullpen's final best no worse — **${targetBest}** (${f5(medBpBest)} vs ${f5(medOptBest)}).`,
    ``,
    `Same on both sides: the matrix (\`loadFeatureMatrix\`, default set, home_win, ${SEASONS}: ${meta.matrix.rows} games × ${meta.matrix.cols} features, ` +
      `written to Parquet; the Python side's sha256 of the values it read equals the engine's, ${meta.matrix.checksum.slice(0, 16)}…), the folds (engine's cvPlan, ` +
      `walk-forward ${SWEEP_CV.splits} splits ${SWEEP_CV.trainDays}/${SWEEP_CV.testDays}/${SWEEP_CV.gap}/${SWEEP_CV.embargo}, expanding; each fold's inner early-stopping hold-out cut by the worker's own innerHoldout, ` +
      `exported as row indices: fit/inner/test ${meta.matrix.folds.map((f) => `${f.fit}/${f.inner}/${f.test}`).join(', ')}; test windows ${meta.matrix.folds[0]?.test0}..${meta.matrix.folds[meta.matrix.folds.length - 1]?.test1}), ` +
      `the LightGBM base parameters (objective binary, binary_logloss, deterministic, force_col_wise, feature_pre_filter=false, verbosity -1, seed = the sweep seed, 1 thread), ` +
      `up to 1000 rounds with early stopping after 50 on the inner hold-out, the objective (mean test log loss over the 5 folds), the space (${spaceText}), ` +
      `${o.trials} trials, ${o.workers} workers. Samplers: Optuna TPESampler(seed, multivariate=True, constant_liar=True) with n_jobs=${o.workers} threads; Bullpen TPE (multivariate, constant liar, ` +
      `a fixed lag of 3 pending trials so the trials do not depend on timing). Pruner: ${
        o.pruner === 'median'
          ? "median at fold ends on the running mean test log loss, 5 startup trials (Bullpen's default; Optuna: MedianPruner(n_startup_trials=5) with trial.report after each fold but the last; Optuna judges the trial's best running mean so far, Bullpen the running mean at that fold, as its MedianPruner documents)"
          : 'none on either side'
      }.`,
    ``,
    `Different by design: Optuna builds two lgb.Dataset per fold per trial from the fold's rows (what lgb.train users write; Datasets are not reused across trials), ` +
      `so each fold is binned on its own training rows; Bullpen's workers bin the whole matrix once and cut every fold by Dataset.subset, reused by every trial ` +
      `(Dataset builds per sweep: ${builds.join(', ')}). Bullpen's wall time includes loading the matrix from DuckDB, writing every trial to the workspace and the tracking store ` +
      `as it starts and ends, and the default-parameter baseline CV (one extra trial on one worker at the start, for the improvement figure); Optuna's includes reading the Parquet file. ` +
      `Elapsed time counts from the job's dispatch (Bullpen) and from before the Parquet read (Optuna) to each trial's end. Systems alternate which goes first per seed.`,
    ``,
    `| seed | Optuna wall | Optuna best | Optuna reached its best | Optuna complete/pruned/failed | Bullpen wall | Bullpen best | Bullpen reached Optuna's best | Bullpen complete/pruned/failed | time ratio | Optuna's objective on Bullpen's best |`,
    `| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |`,
    ...rows,
    ``,
    `The last column re-scores Bullpen's best parameters with the Python objective (its own per-fold Datasets): the two objectives measure the same thing up to binning.`,
    ``,
    `Best-so-far CV log loss over elapsed time (median over seeds; n/a before a seed's first complete trial):`,
    ``,
    `| elapsed | Optuna + Python LightGBM | Bullpen |`,
    `| --- | --- | --- |`,
    ...curveRows,
    ...(o.randomSeeds.length
      ? [
          ``,
          `Bullpen TPE vs random (same seeds, same settings): trials (in trial-number order) until the best-so-far reaches random's ${o.trials}-trial best, and whether random reaches TPE's best.`,
          ``,
          `| seed | TPE best | random best | TPE trials to random's best | random trials to its best | random trials to TPE's best | random wall |`,
          `| --- | --- | --- | --- | --- | --- | --- |`,
          ...randRows,
        ]
      : []),
    ``,
    // Each figure names its seed, so it can be read against the per-seed table above.
    ...(improvements.length
      ? [
          `Improvement over LightGBM's default parameters on the same CV (Bullpen's TPE summary, paired over the 5 folds): ${improvements
            .map(
              ({ seed, i }) =>
                `seed ${seed} ${(100 * (i.relative ?? NaN)).toFixed(2)}% (95% CI of the log-loss gain [${f5(i.ci[0])}, ${f5(i.ci[1])}])`,
            )
            .join('; ')}.`,
          ``,
        ]
      : []),
    `Versions: ${Object.entries(meta.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}; Bullpen's LightGBM binding 4.1.0.99 (source build).`,
    `Reproduce: \`npx tsx bench/sweeps.ts --seeds ${seeds.join(',')} --trials ${o.trials} --workers ${o.workers} --pruner ${o.pruner}${randomFlag}\` ` +
      `(or \`BULLPEN_SWEEP_SEEDS=${seeds.join(',')} BULLPEN_SWEEP_TRIALS=${o.trials} BULLPEN_SWEEP_WORKERS=${o.workers} BULLPEN_SWEEP_PRUNER=${o.pruner} ${
        o.randomSeeds.length ? `BULLPEN_SWEEP_RANDOM_SEEDS=${o.randomSeeds.join(',')}` : 'BULLPEN_SWEEP_RANDOM=0'
      } npm run bench -- sweeps\`); the Python environment is made by \`bench/sweeps/setup-venv.sh\`.`,
    ``,
  ].join('\n');
}

async function main(): Promise<void> {
  const o = options(process.argv.slice(2));
  const outDir = dirname(o.markdown);
  mkdirSync(outDir, { recursive: true });
  const saved = o.from ? (JSON.parse(readFileSync(o.from, 'utf8')) as Saved) : await measure(o, outDir);
  const md = report(saved);
  writeFileSync(o.markdown, md);
  process.stdout.write(md);
  // The best-so-far curves in full, for plots.
  const curves = saved.runs.map((r) => ({ system: r.system, sampler: r.sampler, seed: r.seed, curve: bestCurve(r) }));
  writeFileSync(join(outDir, 'curves.json'), JSON.stringify(curves));
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
