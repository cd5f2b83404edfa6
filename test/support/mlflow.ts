/**
 * The MLflow test servers started by `.ci/services start` (an MLflow 3 and an MLflow 2, each with the venv
 * Python that loads models from it). Read from BULLPEN_MLFLOW{3,2}_URI / _PYTHON, or, when those are not
 * set, from .ci/services.env, so a developer who ran `.ci/services start` need not source it.
 *
 *   const ok = requireMlflow();               // both servers; requireMlflow([3]) for one
 *   describe.skipIf(!ok)('…', () => { for (const server of mlflowServers()) … });
 *
 * The servers' data is shared by every test file and developer: use unique experiment and model names.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { needs } from './requirements';

export type MlflowMajor = 3 | 2;

export interface MlflowServer {
  version: MlflowMajor;
  /** Tracking URI, e.g. http://127.0.0.1:5500 (no trailing slash). */
  uri: string;
  /** The python of the venv holding this MLflow version and lightgbm (for mlflow_load_check.py). */
  python: string;
}

const REPO = resolve(__dirname, '..', '..');
export const SERVICES_ENV_FILE = join(REPO, '.ci', 'services.env');
const LOAD_CHECK = join(REPO, 'test', 'python', 'mlflow_load_check.py');
const MAJORS: readonly MlflowMajor[] = [3, 2];

function servicesEnvFile(): Record<string, string> {
  if (!existsSync(SERVICES_ENV_FILE)) return {};
  const values: Record<string, string> = {};
  for (const line of readFileSync(SERVICES_ENV_FILE, 'utf8').split('\n')) {
    const match = /^\s*(?:export\s+)?(BULLPEN_MLFLOW\w+)=(.*)$/.exec(line);
    if (match) values[match[1]] = match[2].trim().replace(/^(['"])(.*)\1$/, '$2');
  }
  return values;
}

/** The configured servers, MLflow 3 first; a server counts only when both its URI and its python are known. */
export function mlflowServers(): MlflowServer[] {
  const file = servicesEnvFile();
  const value = (key: string): string | undefined => process.env[key] || file[key] || undefined;
  const servers: MlflowServer[] = [];
  for (const version of MAJORS) {
    const uri = value(`BULLPEN_MLFLOW${version}_URI`);
    const python = value(`BULLPEN_MLFLOW${version}_PYTHON`);
    if (uri && python) servers.push({ version, uri: uri.replace(/\/+$/, ''), python });
  }
  return servers;
}

/** The server for one major version; throws when it is not configured (call requireMlflow first). */
export function mlflowServer(version: MlflowMajor): MlflowServer {
  const server = mlflowServers().find((s) => s.version === version);
  if (!server)
    throw new Error(`no MLflow ${version} test server configured (BULLPEN_MLFLOW${version}_URI/_PYTHON); run .ci/services start`);
  return server;
}

/**
 * True when the servers for `versions` are configured. Otherwise skips with a message saying how to start
 * them, or throws under BULLPEN_REQUIRE_ALL=1 (CI), where .ci/run starts them.
 */
export function requireMlflow(versions: readonly MlflowMajor[] = MAJORS): boolean {
  const configured = new Set(mlflowServers().map((s) => s.version));
  const missing = versions.filter((v) => !configured.has(v));
  return needs(
    `MLflow test server(s) ${missing.map((v) => `${v}.x (BULLPEN_MLFLOW${v}_URI, BULLPEN_MLFLOW${v}_PYTHON)`).join(', ')}`,
    missing.length === 0,
    `.ci/services start (writes ${SERVICES_ENV_FILE})`,
  );
}

export interface LoadCheckResult {
  /** mlflow.lightgbm.load_model(...).predict(rows): probabilities for a binary objective. */
  lightgbm: number[];
  /** mlflow.pyfunc.load_model(...).predict(rows): the same values for a lightgbm Booster. */
  pyfunc: number[];
  mlflowVersion: string;
  lightgbmVersion: string;
}

/**
 * Loads `modelUri` (e.g. models:/NAME@champion) from `server` in its venv's Python with both MLflow loaders
 * and predicts `rows` (one value per feature, in `features` order; null = missing). Throws with Python's error.
 */
export function mlflowLoadCheck(
  server: MlflowServer,
  modelUri: string,
  features: readonly string[],
  rows: readonly (readonly (number | null)[])[],
): LoadCheckResult {
  const dir = mkdtempSync(join(tmpdir(), 'bullpen-mlflow-load-'));
  try {
    const csv = join(dir, 'rows.csv');
    // String(x) is the shortest decimal that reads back to the same double, so no digit is lost.
    const lines = [features.join(','), ...rows.map((row) => row.map((v) => (v === null ? '' : String(v))).join(','))];
    writeFileSync(csv, lines.join('\n') + '\n');
    const result = spawnSync(server.python, [LOAD_CHECK, '--tracking-uri', server.uri, '--model-uri', modelUri, '--rows', csv], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
      env: { ...process.env, MLFLOW_DISABLE_TELEMETRY: 'true', DO_NOT_TRACK: 'true' },
    });
    if (result.status !== 0) {
      throw new Error(`mlflow_load_check.py against ${server.uri} (${modelUri}) failed (${result.status}): ${result.stderr.slice(-3000)}`);
    }
    return JSON.parse(result.stdout) as LoadCheckResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
