import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src-main/engine/engine';
import { BullpenError } from '../../../src-main/shared/errors';
import { FAST, call, openMlEngine, runJob } from './mlWorkspace';

const jobCount = async (engine: Engine) => Number(await engine.workspace.value(`SELECT count(*) FROM jobs`));

describe('a model that reads the closing line cannot bet opening prices', () => {
  let engine: Engine;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ engine, cleanup } = await openMlEngine());
    // The default set minus the closing-line features: form, Elo and the opening line only.
    const file = join(tmpdir(), `bullpen-open-set-${process.pid}.json`);
    await writeFile(
      file,
      JSON.stringify({ sets: [{ name: 'at_open', features: ['elo_home_pre', 'elo_away_pre', 'mkt_open_home_prob', 'park_run_factor'] }] }),
    );
    await call(engine, 'features.register', { file });
    for (const [name, features] of [
      ['with-close', 'default'],
      ['open-only', 'at_open'],
    ]) {
      const job = await runJob(engine, 'ml.train', { target: 'home_win', features, train: '2010', valid: '2011', name, ...FAST });
      expect(job.state, job.error ?? '').toBe('completed');
    }
  });
  afterAll(async () => cleanup());

  it('refuses an opening-price backtest of a model trained on closing-line features, naming them, before any job', async () => {
    const before = await jobCount(engine);
    const err = await call(engine, 'ml.backtest', { model: 'with-close', seasons: '2012', strategy: ['flat'], odds: 'open' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BullpenError);
    expect((err as BullpenError).code).toBe('BACKTEST_CLOSE_FEATURES_AT_OPEN');
    expect((err as BullpenError).message).toMatch(/mkt_close_home_prob/);
    expect((err as BullpenError).message).toMatch(/--odds close/);
    expect(await jobCount(engine)).toBe(before);
  });

  it('backtests the same model at closing prices, and a model without closing-line features at the open', async () => {
    const atClose = await runJob(engine, 'ml.backtest', { model: 'with-close', seasons: '2012', strategy: ['flat'], odds: 'close' });
    expect(atClose.state, atClose.error ?? '').toBe('completed');
    const atOpen = await runJob(engine, 'ml.backtest', { model: 'open-only', seasons: '2012', strategy: ['flat'], odds: 'open' });
    expect(atOpen.state, atOpen.error ?? '').toBe('completed');
  });
});
