/**
 * The Prometheus test server started by `.ci/services start` (or `.ci/services start prometheus`): its URL
 * and the host:port it scrapes every second, where a test starts `bullpen serve --metrics-port`. Read from
 * BULLPEN_PROMETHEUS_URL / BULLPEN_PROMETHEUS_TARGET, or, when those are not set, from .ci/services.env.
 * Also promtool, which comes with the same Debian package.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { needs } from './requirements';
import { SERVICES_ENV_FILE } from './mlflow';

export interface PrometheusService {
  /** e.g. http://127.0.0.1:9590 (no trailing slash). */
  url: string;
  /** Where Prometheus scrapes: start `bullpen serve --metrics-port <port>` there. */
  target: { host: string; port: number };
}

function servicesEnvFile(): Record<string, string> {
  if (!existsSync(SERVICES_ENV_FILE)) return {};
  const values: Record<string, string> = {};
  for (const line of readFileSync(SERVICES_ENV_FILE, 'utf8').split('\n')) {
    const match = /^\s*(?:export\s+)?(BULLPEN_PROMETHEUS\w+)=(.*)$/.exec(line);
    if (match) values[match[1]] = match[2].trim().replace(/^(['"])(.*)\1$/, '$2');
  }
  return values;
}

export function prometheusService(): PrometheusService | null {
  const file = servicesEnvFile();
  const url = process.env.BULLPEN_PROMETHEUS_URL || file.BULLPEN_PROMETHEUS_URL;
  const target = process.env.BULLPEN_PROMETHEUS_TARGET || file.BULLPEN_PROMETHEUS_TARGET;
  const match = target ? /^([^:]+):(\d+)$/.exec(target) : null;
  if (!url || !match) return null;
  return { url: url.replace(/\/+$/, ''), target: { host: match[1], port: Number(match[2]) } };
}

/** True when the Prometheus test server is configured; otherwise skips with how to start it, or throws under BULLPEN_REQUIRE_ALL=1. */
export function requirePrometheus(): boolean {
  return needs(
    'the Prometheus test server (BULLPEN_PROMETHEUS_URL, BULLPEN_PROMETHEUS_TARGET)',
    prometheusService() !== null,
    `.ci/services start prometheus (writes ${SERVICES_ENV_FILE})`,
  );
}

const PROMTOOL = 'promtool';

export function requirePromtool(): boolean {
  const found = spawnSync(PROMTOOL, ['--version'], { encoding: 'utf8' });
  return needs('promtool (Debian package prometheus)', found.status === 0, 'apt-get install prometheus');
}

/** `promtool check metrics` on an exposition: its exit status and what it said. */
export function promtoolCheckMetrics(exposition: string): { status: number | null; output: string } {
  const r = spawnSync(PROMTOOL, ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

export interface InstantSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** An instant query through Prometheus' HTTP API (/api/v1/query). */
export async function queryPrometheus(service: PrometheusService, promql: string): Promise<InstantSample[]> {
  const res = await fetch(`${service.url}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = (await res.json()) as { status: string; data?: { resultType: string; result: InstantSample[] }; error?: string };
  if (body.status !== 'success' || !body.data) throw new Error(`Prometheus query ${promql} failed: ${body.error ?? res.status}`);
  return body.data.result;
}
