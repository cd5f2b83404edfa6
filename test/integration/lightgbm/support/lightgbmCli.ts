// LightGBM's own command-line program, linked from the same compiled LightGBM objects as the binding
// (native/lightgbm/build-cli/bin, made on first use), driven through text files as its users do.
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderParams, type Params } from '@bullpen/lightgbm';
import type { SyntheticData } from './syntheticData';

const packageDir = resolve(__dirname, '..', '..', '..', '..', 'native', 'lightgbm');
let cliPath: string | undefined;

/** Path of the CLI binary; links it from the addon's compiled objects (seconds) when absent or stale. */
export function lightgbmCli(): string {
  cliPath ??= execFileSync(process.execPath, [join(packageDir, 'scripts', 'build.mjs'), '--cli'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  }).trim();
  return cliPath;
}

/** Writes label then features as CSV; 17 significant digits and precise_float_parser keep every bit. */
export function writeCsv(path: string, set: SyntheticData): void {
  const lines: string[] = [];
  for (let r = 0; r < set.rows; r++) {
    const row = [String(set.label[r])];
    for (let c = 0; c < set.cols; c++) {
      const v = set.data[r * set.cols + c];
      row.push(Number.isNaN(v) ? 'nan' : String(v));
    }
    lines.push(row.join(','));
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  if (set.weight) writeFileSync(`${path}.weight`, `${Array.from(set.weight, String).join('\n')}\n`);
}

export interface CliRun {
  output: string;
  /** "Finished loading data in X seconds" (parsing the text file and binning). */
  loadSeconds: number;
  /** The last "X seconds elapsed, finished iteration N": the boosting loop alone. */
  trainSeconds: number;
}

function runCli(dir: string, config: Record<string, string>): CliRun {
  const confPath = join(dir, `${config.task}.conf`);
  writeFileSync(
    confPath,
    Object.entries(config)
      .map(([k, v]) => `${k} = ${v}`)
      .join('\n') + '\n',
  );
  const result = spawnSync(lightgbmCli(), [`config=${confPath}`], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
  const output = `${result.stdout}${result.stderr}`;
  if (result.error) throw new Error(`LightGBM CLI could not run: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`LightGBM CLI failed (${result.status}): ${output.slice(-2000)}`);
  const load = /Finished loading data in ([0-9.]+) seconds/.exec(output);
  const elapsed = [...output.matchAll(/([0-9.]+) seconds elapsed, finished iteration/g)];
  return {
    output,
    loadSeconds: load ? Number(load[1]) : Number.NaN,
    trainSeconds: elapsed.length > 0 ? Number(elapsed[elapsed.length - 1][1]) : Number.NaN,
  };
}

function paramLines(params: Params): Record<string, string> {
  const rendered = renderParams(params);
  const out: Record<string, string> = {};
  for (const pair of rendered.split(' ').filter(Boolean)) {
    const [k, v] = pair.split('=');
    out[k] = v;
  }
  return out;
}

/** Trains with the CLI on a CSV written by writeCsv; returns the model text and timings. */
export function cliTrain(dir: string, trainCsv: string, params: Params, numRounds: number): CliRun & { model: string } {
  const modelPath = join(dir, 'cli-model.txt');
  const run = runCli(dir, {
    task: 'train',
    data: trainCsv,
    header: 'false',
    precise_float_parser: 'true',
    output_model: modelPath,
    num_iterations: String(numRounds),
    ...paramLines(params),
  });
  return { ...run, model: readFileSync(modelPath, 'utf8') };
}

/** Predicts a CSV with the CLI; values come back exactly (LightGBM writes 17 significant digits). */
export function cliPredict(
  dir: string,
  modelPath: string,
  dataCsv: string,
  type: 'normal' | 'raw' | 'leaf' | 'contrib' = 'normal',
): { values: Float64Array; run: CliRun } {
  const resultPath = join(dir, 'cli-predictions.txt');
  const run = runCli(dir, {
    task: 'predict',
    data: dataCsv,
    header: 'false',
    precise_float_parser: 'true',
    input_model: modelPath,
    output_result: resultPath,
    predict_raw_score: String(type === 'raw'),
    predict_leaf_index: String(type === 'leaf'),
    predict_contrib: String(type === 'contrib'),
    verbosity: '-1',
  });
  const text = readFileSync(resultPath, 'utf8').trim();
  const values = text
    .split('\n')
    .flatMap((line) => line.split('\t'))
    .map(Number);
  return { values: Float64Array.from(values), run };
}

/** The trees of a LightGBM model text (from "Tree=0" to "end of trees"), the part training decides. */
export function treesSection(model: string): string {
  const start = model.indexOf('Tree=0');
  const end = model.indexOf('end of trees');
  if (start < 0 || end < 0) throw new Error('not a LightGBM model text with trees');
  return model.slice(start, end);
}
