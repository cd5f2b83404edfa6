import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram, type Invocation } from '../../../src-main/cli/buildProgram';
import type { Engine } from '../../../src-main/engine/engine';
import { loadFeatureMatrix } from '../../../src-main/engine/modeling/featureMatrix';
import { FAST, call, openMlEngine, runJob } from './mlWorkspace';

const readCsv = (file: string): Record<string, string>[] => {
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, k) => [cols[k], v])));
};

describe('ml predict --input FILE --out FILE (real DuckDB, real LightGBM in a worker)', () => {
  let engine: Engine;
  let cleanup: () => Promise<void>;
  let dir: string;
  let featureNames: string[];
  beforeAll(async () => {
    ({ engine, cleanup } = await openMlEngine());
    dir = mkdtempSync(join(tmpdir(), 'bullpen-predict-test-'));
    const trained = await runJob(engine, 'ml.train', { train: '2010', valid: '2011', name: 'scorer', ...FAST });
    expect(trained.state, trained.error ?? '').toBe('completed');
    // The input file: the 2012 games with every feature column by name, in shuffled column order plus an extra column.
    const m = await loadFeatureMatrix(engine.workspace, { set: 'default', target: 'home_win', seasons: [2012] });
    featureNames = m.featureNames;
    const cols = [...featureNames].reverse();
    const lines = [['note', 'game_id', ...cols].join(',')];
    for (let i = 0; i < m.rows; i++) {
      const v = (f: string) => {
        const x = m.features[i * m.cols + featureNames.indexOf(f)];
        return Number.isNaN(x) ? '' : String(x);
      };
      lines.push(['x', m.gameIds[i], ...cols.map(v)].join(','));
    }
    writeFileSync(join(dir, 'games.csv'), `${lines.join('\n')}\n`);
  });
  afterAll(async () => {
    await cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('scores a CSV of feature columns by name exactly as the model scores the same workspace games', async () => {
    const fromSeasons = await runJob(engine, 'ml.predict', { model: 'scorer', seasons: '2012', out: join(dir, 'seasons.csv') });
    expect(fromSeasons.state, fromSeasons.error ?? '').toBe('completed');
    const job = await runJob(engine, 'ml.predict', { model: 'scorer', input: join(dir, 'games.csv'), out: join(dir, 'file.csv') });
    expect(job.state, job.error ?? '').toBe('completed');
    expect(job.result).toMatchObject({ games: expect.any(Number), out: join(dir, 'file.csv') });
    const want = new Map(readCsv(join(dir, 'seasons.csv')).map((r) => [r.game_id, Number(r.p)]));
    const got = readCsv(join(dir, 'file.csv'));
    expect(Object.keys(got[0])).toEqual(['game_id', 'p']);
    expect(got.length).toBe(want.size);
    for (const r of got) expect(Number(r.p)).toBeCloseTo(want.get(r.game_id)!, 12);
  });

  it('reads and writes Parquet, identifying games by date, home and away when there is no game_id', async () => {
    const parquetIn = join(dir, 'games.parquet');
    await engine.workspace.run(
      `COPY (SELECT strptime(substr(game_id, 4, 8), '%Y%m%d')::DATE AS date, substr(game_id, 1, 3) AS home, 'AWY' AS away, * EXCLUDE (game_id, note) FROM read_csv(?, header = true) LIMIT 25) TO '${parquetIn}' (FORMAT parquet)`,
      [join(dir, 'games.csv')],
    );
    const out = join(dir, 'scores.parquet');
    const job = await runJob(engine, 'ml.predict', { model: 'scorer', input: parquetIn, out });
    expect(job.state, job.error ?? '').toBe('completed');
    const rows = await engine.workspace.all<{ date: string; home: string; away: string; p: number }>(`SELECT * FROM read_parquet(?)`, [
      out,
    ]);
    expect(rows).toHaveLength(25);
    expect(Object.keys(rows[0])).toEqual(['date', 'home', 'away', 'p']);
    expect(rows[0].date).toMatch(/^2012-\d\d-\d\d$/);
    for (const r of rows) expect(r.p).toBeGreaterThan(0);
    for (const r of rows) expect(r.p).toBeLessThan(1);
  });

  it('refuses a file that lacks feature columns with an input error naming them, before any job starts', async () => {
    const [a, b] = featureNames;
    const lines = readFileSync(join(dir, 'games.csv'), 'utf8').trim().split('\n');
    const head = lines[0].split(',');
    const keep = head.map((c, k) => (c === a || c === b ? -1 : k)).filter((k) => k >= 0);
    writeFileSync(join(dir, 'partial.csv'), `${lines.map((l) => keep.map((k) => l.split(',')[k]).join(',')).join('\n')}\n`);
    const jobsBefore = (await call(engine, 'jobs.list', { limit: 1000 })).jobs.length;
    const err = await call(engine, 'ml.predict', { model: 'scorer', input: join(dir, 'partial.csv'), out: join(dir, 'never.csv') }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'MISSING_FEATURE_COLUMNS', kind: 'input' });
    expect((err as Error).message).toContain(a);
    expect((err as Error).message).toContain(b);
    expect((await call(engine, 'jobs.list', { limit: 1000 })).jobs.length).toBe(jobsBefore);
  });

  it("makes --input and --out absolute against the caller's working directory on the command line", async () => {
    let inv: Invocation | undefined;
    await buildProgram(async (i) => {
      inv = i;
    }).parseAsync(['ml', 'predict', '--model', 'scorer', '--input', 'in/games.csv', '--out', '../scores.parquet'], { from: 'user' });
    expect(inv?.kind === 'op' ? inv.input : null).toEqual({
      model: 'scorer',
      input: join(process.cwd(), 'in/games.csv'),
      out: join(process.cwd(), '../scores.parquet'),
    });
  });

  it('refuses relative --out and --input paths, which would resolve against the engine rather than the caller', async () => {
    await expect(call(engine, 'ml.predict', { model: 'scorer', input: join(dir, 'games.csv'), out: 'relative.csv' })).rejects.toMatchObject(
      { code: 'PATH_NOT_ABSOLUTE', kind: 'usage' },
    );
    await expect(call(engine, 'ml.predict', { model: 'scorer', input: 'games.csv', out: join(dir, 'x.csv') })).rejects.toMatchObject({
      code: 'PATH_NOT_ABSOLUTE',
    });
    await expect(call(engine, 'ml.predict', { model: 'scorer', input: join(dir, 'games.csv') })).rejects.toMatchObject({
      code: 'PREDICT_INPUT_NEEDS_OUT',
    });
  });
});
