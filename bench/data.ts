/**
 * Data and feature-store benchmark, side by side in one run (median of RUNS):
 *  1. import of the 17 Retrosheet seasons through importRetrosheet (parse, validate, stage, upsert in one
 *     transaction) vs DuckDB's own read_csv of the same gz files into a table (no validation: the floor);
 *  2. materialization of the default feature set (41 features) for every game, forced;
 *  1b. the Pinnacle 2016 odds import (per-game file + 241k-line history, ~650k odds rows): the line history
 *     staged through DuckDB's read_csv and matched in SQL vs the row-by-row path (parse, match and append
 *     every row from JS), both in one transaction, both on the same workspace;
 *  3. feature-matrix extraction: loadFeatureMatrix to a row-major Float64Array vs reading the same
 *     values from a Parquet file into a Float64Array with DuckDB (the floor).
 * Needs ../shared/data (falls back to the 20-season demo league for 2 and 3 when absent).
 * Run: npx tsx bench/data.ts  (or npm run bench -- data). Prints JSON, appends rows to bench/RESULTS.md.
 * BENCH_DATA_ONLY=matrix loads the data once, untimed, and measures only 3 (the extraction row).
 */
import { execSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Workspace } from '../src-main/engine/workspace/workspace';
import { importRetrosheet } from '../src-main/engine/data/retrosheetImporter';
import { importPinnacle } from '../src-main/engine/data/pinnacleImporter';
import { buildDemo, DEFAULT_DEMO } from '../src-main/engine/demo/buildDemo';
import { materializeSet } from '../src-main/engine/features/materialize';
import { loadFeatureMatrix } from '../src-main/engine/modeling/featureMatrix';
import { exportFeatureSet } from '../src-main/engine/features/featureStore';
import { hasSharedData, sharedDataPath } from '../test/support/sharedData';

const RUNS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const work = mkdtempSync(join(tmpdir(), 'bullpen-bench-data-'));

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** Wall time and the longest event-loop stall while fn runs (a 1 ms timer's longest gap, read after one more turn so a final block counts). */
async function timedWithStall(fn: () => Promise<unknown>): Promise<{ ms: number; stallMs: number }> {
  let last = performance.now();
  let stallMs = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, 1);
  const ms = await timed(fn);
  await new Promise((resolve) => setTimeout(resolve, 2));
  clearInterval(tick);
  return { ms, stallMs };
}

async function main() {
  const real = hasSharedData();
  const ws = await Workspace.open(join(work, 'bench.duckdb'));
  const result: Record<string, unknown> = { data: real ? 'retrosheet 2000-2016' : 'demo league 2000-2019 (no ../shared/data)' };
  const rows: string[] = [];
  const machine = `${availableParallelism()} cores, ${Math.round(totalmem() / 2 ** 30)} GiB`;
  const commit = (() => {
    try {
      return execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  })();
  const date = new Date().toISOString().slice(0, 10);

  const matrixOnly = process.env.BENCH_DATA_ONLY === 'matrix';
  if (real && matrixOnly) {
    const dir = sharedDataPath('retrosheet');
    await importRetrosheet(
      ws,
      readdirSync(dir)
        .filter((f) => /^GL\d{4}\.TXT\.gz$/.test(f))
        .map((f) => join(dir, f)),
    );
    await importPinnacle(ws, [sharedDataPath('pinnacle', 'mlb2016_games.csv'), sharedDataPath('pinnacle', 'mlb2016_lines.csv.gz')]);
  } else if (real) {
    const dir = sharedDataPath('retrosheet');
    const files = readdirSync(dir)
      .filter((f) => /^GL\d{4}\.TXT\.gz$/.test(f))
      .map((f) => join(dir, f));
    const ours: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      ours.push(await timed(() => importRetrosheet(ws, files)));
      floor.push(
        await timed(() =>
          ws.run(
            `CREATE OR REPLACE TEMP TABLE raw_gl AS SELECT * FROM read_csv([${files.map((f) => `'${f}'`).join(',')}], header = false, all_varchar = true)`,
          ),
        ),
      );
    }
    await ws.run('DROP TABLE temp.raw_gl');
    const games = Number(await ws.value('SELECT count(*) FROM games'));
    result.import = { games, importRetrosheetMs: median(ours), duckdbReadCsvMs: median(floor), ratio: median(ours) / median(floor) };
    rows.push(
      `| ${date} | ${commit} | ${machine} | data import | 17 Retrosheet seasons (${games} games): importRetrosheet (validate + upsert, 1 tx) vs DuckDB read_csv of the same gz files (${RUNS} runs) | ${median(ours).toFixed(0)} ms vs ${median(floor).toFixed(0)} ms | ${(median(ours) / median(floor)).toFixed(2)} |`,
    );
    const pin = [sharedDataPath('pinnacle', 'mlb2016_games.csv'), sharedDataPath('pinnacle', 'mlb2016_lines.csv.gz')];
    const sqlRuns: number[] = [];
    const rowRuns: number[] = [];
    let oddsRows = 0;
    for (let i = 0; i < RUNS; i++) {
      sqlRuns.push(
        await timed(async () => {
          oddsRows = (await importPinnacle(ws, pin)).oddsRows;
        }),
      );
      rowRuns.push(await timed(() => importPinnacle(ws, pin, { lineHistory: 'rowByRow' })));
    }
    result.pinnacle = { oddsRows, stagedSqlMs: median(sqlRuns), rowByRowMs: median(rowRuns), speedup: median(rowRuns) / median(sqlRuns) };
    rows.push(
      `| ${date} | ${commit} | ${machine} | pinnacle import | Pinnacle 2016 per-game + line history (${oddsRows} odds rows, 1 tx): line history staged via DuckDB read_csv + SQL matching vs row-by-row JS parse/match/append (${RUNS} runs each, alternating) | ${median(sqlRuns).toFixed(0)} ms vs ${median(rowRuns).toFixed(0)} ms | ${(median(rowRuns) / median(sqlRuns)).toFixed(2)}× faster |`,
    );
  } else {
    await buildDemo(ws, DEFAULT_DEMO);
  }

  const mats: number[] = [];
  let features = 0;
  let gameRows = 0;
  if (matrixOnly) await materializeSet(ws, 'default');
  for (let i = 0; i < (matrixOnly ? 0 : RUNS); i++) {
    mats.push(
      await timed(async () => {
        const m = await materializeSet(ws, 'default', { force: true });
        features = m.features.length;
        gameRows = m.rows;
      }),
    );
  }
  if (!matrixOnly)
    result.materialize = { games: gameRows, features, medianMs: median(mats), gamesPerSecond: gameRows / (median(mats) / 1000) };
  if (!matrixOnly)
    rows.push(
      `| ${date} | ${commit} | ${machine} | features materialize | default set (${features} features incl. Elo, quality stats) for ${gameRows} games, forced (${RUNS} runs) | ${median(mats).toFixed(0)} ms (${Math.round(gameRows / (median(mats) / 1000))} games/s) | n/a |`,
    );

  const parquet = join(work, 'default.parquet');
  await exportFeatureSet(ws, 'default', parquet, 'parquet');
  const loads: number[] = [];
  const floors: number[] = [];
  const loadStalls: number[] = [];
  const floorStalls: number[] = [];
  let cells = 0;
  for (let i = 0; i < RUNS + 2; i++) {
    const load = await timedWithStall(async () => {
      const m = await loadFeatureMatrix(ws, { set: 'default', target: 'home_win' });
      cells = m.rows * m.cols;
    });
    loads.push(load.ms);
    loadStalls.push(load.stallMs);
    const floor = await timedWithStall(async () => {
      const reader = await ws.connection.runAndReadAll(
        `SELECT * EXCLUDE (game_id, date, season, home_win, over, home_runline, synthetic) FROM read_parquet('${parquet}') WHERE home_win IS NOT NULL`,
      );
      const cols = reader.getColumnsJS();
      const n = reader.currentRowCount;
      const out = new Float64Array(n * cols.length);
      for (let j = 0; j < cols.length; j++)
        for (let r = 0; r < n; r++) out[r * cols.length + j] = cols[j][r] === null ? NaN : Number(cols[j][r]);
    });
    floors.push(floor.ms);
    floorStalls.push(floor.stallMs);
  }
  const lm = median(loads);
  const fm = median(floors);
  const ls = Math.max(...loadStalls);
  const fs = Math.max(...floorStalls);
  result.matrix = {
    cells,
    loadFeatureMatrixMs: lm,
    parquetFloorMs: fm,
    cellsPerSecond: cells / (lm / 1000),
    floorCellsPerSecond: cells / (fm / 1000),
    ratio: lm / fm,
    longestStallMs: ls,
    floorLongestStallMs: fs,
  };
  rows.push(
    `| ${date} | ${commit} | ${machine} | feature matrix | loadFeatureMatrix (${cells} cells, labels, closing prices) vs same values read from Parquet into a Float64Array (${RUNS + 2} runs; longest event-loop stall over all runs) | ${lm.toFixed(0)} ms (${(cells / lm / 1000).toFixed(1)}M cells/s, stall ${ls.toFixed(0)} ms) vs ${fm.toFixed(0)} ms (${(cells / fm / 1000).toFixed(1)}M cells/s, stall ${fs.toFixed(0)} ms) | ${(lm / fm).toFixed(2)} |`,
  );

  ws.close();
  rmSync(work, { recursive: true, force: true });
  console.log(JSON.stringify(result, null, 2));
  appendFileSync(join(__dirname, 'RESULTS.md'), rows.join('\n') + '\n');
}

main().catch((err) => {
  console.error(err);
  process.exit(5);
});
