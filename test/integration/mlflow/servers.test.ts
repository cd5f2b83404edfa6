// The MLflow test servers from .ci/services: each answers as the MLflow major it claims, its venv's Python
// holds the pinned mlflow and the lightgbm that matches the native binding, and a model logged by MLflow's
// own client comes back through both loaders of mlflow_load_check.py with the same predictions. The export
// tests rely on all three; this file says which one broke when they fail.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mlflowLoadCheck, mlflowServers, requireMlflow, type MlflowServer } from '../../support/mlflow';

const REPO = resolve(__dirname, '..', '..', '..');
const ok = requireMlflow();
const dir = mkdtempSync(join(tmpdir(), 'bullpen-mlflow-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pinned(file: string, pkg: string): string {
  const match = new RegExp(`^${pkg}==(\\S+)$`, 'im').exec(readFileSync(join(REPO, file), 'utf8'));
  if (!match) throw new Error(`${file} pins no ${pkg}`);
  return match[1];
}

function python(server: MlflowServer, args: string[]): string {
  const result = spawnSync(server.python, args, {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    env: { ...process.env, MLFLOW_DISABLE_TELEMETRY: 'true', DO_NOT_TRACK: 'true' },
  });
  if (result.status !== 0) throw new Error(`${server.python} ${args[0]} failed (${result.status}): ${result.stderr.slice(-3000)}`);
  return result.stdout;
}

describe.skipIf(!ok)('MLflow test servers', () => {
  for (const server of mlflowServers()) {
    describe(`MLflow ${server.version} at ${server.uri}`, () => {
      const requirements = `.ci/mlflow${server.version}-requirements.txt`;

      it('answers /health and reports its major version on /version', async () => {
        const health = await fetch(`${server.uri}/health`);
        expect(health.status).toBe(200);
        expect((await health.text()).trim()).toBe('OK');

        const version = await fetch(`${server.uri}/version`);
        expect(version.status).toBe(200);
        const text = (await version.text()).trim();
        expect(text).toBe(pinned(requirements, 'mlflow'));
        expect(Number(text.split('.')[0])).toBe(server.version);
      });

      it("has a Python with the pinned mlflow and the native binding's lightgbm", () => {
        const out = python(server, ['-c', 'import json, mlflow, lightgbm; print(json.dumps([mlflow.__version__, lightgbm.__version__]))']);
        const [mlflowVersion, lightgbmVersion] = JSON.parse(out) as [string, string];
        expect(mlflowVersion).toBe(pinned(requirements, 'mlflow'));
        expect(lightgbmVersion).toBe(pinned(requirements, 'lightgbm'));
        // test/python-requirements.txt pins the lightgbm the native binding's model files are checked against.
        expect(lightgbmVersion).toBe(pinned('test/python-requirements.txt', 'lightgbm'));
      });

      it('serves a model logged by the MLflow client back through both loaders with the same predictions', () => {
        const name = `bullpen-smoke-${server.version}-${randomUUID().slice(0, 8)}`;
        const rowsCsv = join(dir, `${name}.csv`);
        const logged = JSON.parse(
          python(server, [
            join(REPO, 'test/python/mlflow_log_fixture.py'),
            '--tracking-uri',
            server.uri,
            '--name',
            name,
            '--rows-out',
            rowsCsv,
          ]),
        ) as { modelUri: string; predictions: number[] };
        expect(logged.modelUri).toBe(`models:/${name}@champion`);

        const [header, ...lines] = readFileSync(rowsCsv, 'utf8').trim().split('\n');
        const rows = lines.map((line) => line.split(',').map(Number));
        const loaded = mlflowLoadCheck(server, logged.modelUri, header.split(','), rows);

        expect(loaded.mlflowVersion).toBe(pinned(requirements, 'mlflow'));
        expect(loaded.lightgbm).toHaveLength(logged.predictions.length);
        expect(loaded.pyfunc).toHaveLength(logged.predictions.length);
        const maxDiff = (a: number[]): number => Math.max(...a.map((v, i) => Math.abs(v - logged.predictions[i])));
        expect(maxDiff(loaded.lightgbm)).toBeLessThanOrEqual(1e-12);
        expect(maxDiff(loaded.pyfunc)).toBeLessThanOrEqual(1e-12);
        // Probabilities for the binary objective, not raw scores.
        expect(loaded.pyfunc.every((p) => p > 0 && p < 1)).toBe(true);
      });
    });
  }
});
