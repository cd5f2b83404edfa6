// The addon is context-aware: it loads in worker threads (each with its own instance data) and several
// boosters train in parallel there with the same results as on the main thread; it also loads in Electron.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { beforeAll, describe, expect, it } from 'vitest';
import { Dataset, train, type Params } from '@bullpen/lightgbm';
import { syntheticData } from './support/syntheticData';

const fixtures = resolve(__dirname, 'fixtures');
const PARAMS: Params = {
  objective: 'binary',
  deterministic: true,
  force_col_wise: true,
  num_threads: 1,
  num_leaves: 15,
  verbosity: -1,
  seed: 3,
};

describe('worker threads', () => {
  beforeAll(() => {
    // Workers load the compiled dist/ like the built app does; refresh it if src/ changed (no-op otherwise).
    execFileSync(process.execPath, [resolve(__dirname, '..', '..', '..', 'native', 'lightgbm', 'scripts', 'build.mjs')], {
      stdio: 'inherit',
    });
  });

  it('train several boosters in parallel in a Piscina pool, each identical to the main thread', async () => {
    const pool = new Piscina({ filename: join(fixtures, 'trainWorker.cjs'), minThreads: 2, maxThreads: 2 });
    try {
      const tasks = [1, 2, 3, 4].map((seed) => {
        const set = syntheticData({ rows: 2000, cols: 8, seed, missingRate: 0.05 });
        return { data: set.data, label: set.label, rows: set.rows, cols: set.cols, params: PARAMS, rounds: 20 };
      });
      const results: { model: string; predictions: Float64Array }[] = await Promise.all(tasks.map((t) => pool.run(t)));
      for (const [i, task] of tasks.entries()) {
        const ds = Dataset.fromMatrix(task.data, { rows: task.rows, cols: task.cols, label: task.label, params: PARAMS });
        const booster = await train(PARAMS, ds, { numBoostRound: 20 });
        expect(results[i].model).toBe(booster.saveModelToString());
        expect(Array.from(results[i].predictions)).toEqual(Array.from(booster.predict(task.data, { rows: task.rows, cols: task.cols })));
      }
      expect(new Set(results.map((r) => r.model)).size).toBe(4);
    } finally {
      await pool.destroy();
    }
  });

  it('keep the addon usable on the main thread after a worker that loaded it exits', async () => {
    const worker = new Worker(
      `const { Dataset } = require('@bullpen/lightgbm');
       const ds = Dataset.fromMatrix(new Float64Array(20).fill(1), { rows: 10, cols: 2, label: new Float64Array(10), params: { verbosity: -1 } });
       require('node:worker_threads').parentPort.postMessage(ds.numData());`,
      { eval: true },
    );
    const message = await new Promise((resolveMessage, reject) => {
      worker.once('message', resolveMessage);
      worker.once('error', reject);
    });
    expect(message).toBe(10);
    await worker.terminate();
    const ds = Dataset.fromMatrix(new Float64Array(20).fill(2), {
      rows: 10,
      cols: 2,
      label: new Float64Array(10),
      params: { verbosity: -1 },
    });
    expect(ds.numData()).toBe(10);
  });
});

// Electron's binary is downloaded by its install script, which the project denies (no internet on
// the build machines); the check runs wherever a developer has it.
const electronBinary = resolve(__dirname, '..', '..', '..', 'node_modules', 'electron', 'dist', 'electron');
const hasElectron = existsSync(electronBinary);
if (!hasElectron) console.warn(`[skip] Electron binary missing at ${electronBinary}; the Electron load check did not run`);

describe.skipIf(!hasElectron)('Electron', () => {
  it("loads the same .node file and trains in Electron's Node", () => {
    const result = spawnSync(electronBinary, [join(fixtures, 'electronLoad.cjs')], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout) as { length: number; first: number };
    expect(out.length).toBe(500);
    expect(out.first).toBeGreaterThan(0);
  });
});
