// Benchmark: @bullpen/lightgbm vs LightGBM's CLI (same source tree, same compiler flags) vs Python's
// lightgbm 4.1.0, on the same data and parameters: dataset construction, training, prediction.
// Run: npx tsx bench/lightgbm.ts   (or npm run bench -- lightgbm). Appends rows to bench/RESULTS.md.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Booster, Dataset, type Params } from '../native/lightgbm/src/index';
import { cliPredict, cliTrain, lightgbmCli } from '../test/integration/lightgbm/support/lightgbmCli';
import { pythonLightgbmVersion, writeF64 } from '../test/integration/lightgbm/support/python';
import { hasRetrosheet, retrosheetFeatures } from '../test/integration/lightgbm/support/retrosheetFeatures';
import { sliceRows, syntheticData, type SyntheticData } from '../test/integration/lightgbm/support/syntheticData';

const RUNS = 3;
const root = resolve(__dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'bullpen-bench-lgb-'));

interface Case {
  name: string;
  train: SyntheticData;
  test: SyntheticData;
  rounds: number;
  params: Params;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (s: number): string => `${(s * 1000).toFixed(0)} ms`;

/** CSV written in chunks so 500k × 50 never becomes one giant string. */
function writeCsvChunked(path: string, set: SyntheticData): void {
  writeFileSync(path, '');
  const chunk = 20_000;
  for (let start = 0; start < set.rows; start += chunk) {
    const lines: string[] = [];
    for (let r = start; r < Math.min(set.rows, start + chunk); r++) {
      const row = [String(set.label[r])];
      for (let c = 0; c < set.cols; c++) {
        const v = set.data[r * set.cols + c];
        row.push(Number.isNaN(v) ? 'nan' : String(v));
      }
      lines.push(row.join(','));
    }
    appendFileSync(path, `${lines.join('\n')}\n`);
  }
}

function bindingRun(c: Case) {
  const t0 = performance.now();
  const ds = Dataset.fromMatrix(c.train.data, { rows: c.train.rows, cols: c.train.cols, label: c.train.label, params: c.params });
  const t1 = performance.now();
  const booster = new Booster(c.params, ds);
  const t2 = performance.now();
  for (let i = 0; i < c.rounds; i++) booster.updateOneIter();
  const t3 = performance.now();
  booster.predict(c.test.data, { rows: c.test.rows, cols: c.test.cols });
  const t4 = performance.now();
  const model = booster.saveModelToString();
  booster.free();
  ds.free();
  return { construct: (t1 - t0) / 1000, init: (t2 - t1) / 1000, train: (t3 - t2) / 1000, predict: (t4 - t3) / 1000, model };
}

const PYTHON_BENCH = `
import json, sys, time
import numpy as np, lightgbm as lgb
job = json.load(open(sys.argv[1]))
X = np.fromfile(job["x"], dtype=np.float64).reshape(job["rows"], job["cols"])
y = np.fromfile(job["y"], dtype=np.float64)
T = np.fromfile(job["t"], dtype=np.float64).reshape(job["test_rows"], job["cols"])
out = []
for _ in range(job["runs"]):
    t0 = time.perf_counter(); ds = lgb.Dataset(X, label=y, params=job["params"], free_raw_data=False); ds.construct()
    t1 = time.perf_counter(); b = lgb.train(job["params"], ds, num_boost_round=job["rounds"])
    t2 = time.perf_counter(); b.predict(T)
    t3 = time.perf_counter()
    out.append({"construct": t1 - t0, "train": t2 - t1, "predict": t3 - t2})
print(json.dumps(out))
`;

function pythonRuns(c: Case): { construct: number; train: number; predict: number }[] | null {
  if (!pythonLightgbmVersion()) return null;
  const p = (f: string) => join(work, `${c.name}-${f}`);
  writeF64(p('x.f64'), c.train.data);
  writeF64(p('y.f64'), c.train.label);
  writeF64(p('t.f64'), c.test.data);
  writeFileSync(
    p('job.json'),
    JSON.stringify({
      x: p('x.f64'),
      y: p('y.f64'),
      t: p('t.f64'),
      rows: c.train.rows,
      cols: c.train.cols,
      test_rows: c.test.rows,
      params: c.params,
      rounds: c.rounds,
      runs: RUNS,
    }),
  );
  const r = spawnSync(process.env.PYTHON ?? 'python3', ['-c', PYTHON_BENCH, p('job.json')], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`python bench failed: ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { construct: number; train: number; predict: number }[];
}

function runCase(c: Case) {
  const dir = mkdtempSync(join(work, `${c.name}-`));
  const trainCsv = join(dir, 'train.csv');
  const testCsv = join(dir, 'test.csv');
  writeCsvChunked(trainCsv, c.train);
  writeCsvChunked(testCsv, c.test);
  const binding = [],
    cli = [];
  bindingRun(c); // warm-up: page in the addon and allocator
  for (let i = 0; i < RUNS; i++) {
    binding.push(bindingRun(c));
    // verbosity 1 makes the CLI print its own load and per-iteration timings, which we read.
    const trained = cliTrain(dir, trainCsv, { ...c.params, verbosity: 1 }, c.rounds);
    const t0 = performance.now();
    cliPredict(dir, join(dir, 'cli-model.txt'), testCsv);
    cli.push({ construct: trained.loadSeconds, train: trained.trainSeconds, predictWall: (performance.now() - t0) / 1000 });
  }
  const python = pythonRuns(c);
  const med = {
    binding: {
      construct: median(binding.map((b) => b.construct)),
      init: median(binding.map((b) => b.init)),
      train: median(binding.map((b) => b.train)),
      predict: median(binding.map((b) => b.predict)),
    },
    cli: {
      construct: median(cli.map((x) => x.construct)),
      train: median(cli.map((x) => x.train)),
      predictWall: median(cli.map((x) => x.predictWall)),
    },
    python: python && {
      construct: median(python.map((x) => x.construct)),
      train: median(python.map((x) => x.train)),
      predict: median(python.map((x) => x.predict)),
    },
  };
  return {
    name: c.name,
    rows: c.train.rows,
    cols: c.train.cols,
    rounds: c.rounds,
    testRows: c.test.rows,
    runs: RUNS,
    medians: med,
    ratios: {
      trainBindingOverCli: med.binding.train / med.cli.train,
      trainWithInitBindingOverCli: (med.binding.train + med.binding.init) / med.cli.train,
      predictThroughputBindingOverCli: med.cli.predictWall / med.binding.predict,
      constructBindingOverCli: med.binding.construct / med.cli.construct,
      trainBindingOverPython: med.python ? med.binding.train / med.python.train : null,
    },
  };
}

const common: Params = {
  objective: 'binary',
  num_leaves: 63,
  learning_rate: 0.1,
  force_col_wise: true,
  num_threads: 2,
  seed: 1,
  verbosity: -1,
  metric: 'none',
};
const cases: Case[] = [];
if (hasRetrosheet()) {
  const real = retrosheetFeatures(Array.from({ length: 17 }, (_, i) => 2000 + i));
  cases.push({
    name: `retrosheet ${real.rows}x${real.cols}`,
    train: real,
    test: sliceRows(real, 0, Math.min(real.rows, 40_000)),
    rounds: 100,
    params: common,
  });
}
{
  const big = syntheticData({ rows: 500_000, cols: 50, seed: 9, missingRate: 0.02 });
  // Three decimals keep the CLI's CSV near 160 MB; the binding gets exactly the same numbers.
  for (let i = 0; i < big.data.length; i++) if (!Number.isNaN(big.data[i])) big.data[i] = Math.round(big.data[i] * 1000) / 1000;
  cases.push({ name: 'synthetic 500000x50', train: big, test: sliceRows(big, 0, 100_000), rounds: 20, params: common });
}

lightgbmCli();
const results = cases.map(runCase);
rmSync(work, { recursive: true, force: true });
const output = {
  benchmark: 'lightgbm',
  pythonLightgbm: pythonLightgbmVersion(),
  machine: { cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30) },
  results,
};
process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);

let commit = 'uncommitted';
try {
  commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
} catch {
  /* not a git checkout */
}
const date = new Date().toISOString().slice(0, 10);
const machine = `${output.machine.cores} cores, ${output.machine.memoryGiB} GiB`;
const rows = results.flatMap((r) => {
  const m = r.medians;
  const py = m.python;
  return [
    `| ${date} | ${commit} | ${machine} | lightgbm train | ${r.name}, ${r.rounds} rounds, binding vs CLI vs Python (${r.runs} runs) | ${ms(m.binding.train)} (+${ms(m.binding.init)} booster init) vs ${ms(m.cli.train)} vs ${py ? ms(py.train) : 'n/a'} | ${r.ratios.trainBindingOverCli.toFixed(3)} (with init ${r.ratios.trainWithInitBindingOverCli.toFixed(3)}) |`,
    `| ${date} | ${commit} | ${machine} | lightgbm predict | ${r.name} model, ${r.testRows} rows: binding in memory vs CLI file-to-file vs Python | ${ms(m.binding.predict)} vs ${ms(m.cli.predictWall)} vs ${py ? ms(py.predict) : 'n/a'} | ${r.ratios.predictThroughputBindingOverCli.toFixed(2)}× throughput |`,
    `| ${date} | ${commit} | ${machine} | lightgbm dataset | ${r.name}: fromMatrix vs CLI text load vs Python construct() | ${ms(m.binding.construct)} vs ${ms(m.cli.construct)} vs ${py ? ms(py.construct) : 'n/a'} | ${r.ratios.constructBindingOverCli.toFixed(2)} |`,
  ];
});
appendFileSync(join(root, 'bench', 'RESULTS.md'), `${rows.join('\n')}\n`);
