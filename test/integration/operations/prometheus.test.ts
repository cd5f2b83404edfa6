import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { EngineProcess } from '../../../src-main/api/host/engineProcess';
import { startMetricsServer, type RunningMetricsServer } from '../../../src-main/api/http/metricsServer';
import { startServer, type RunningServer } from '../../../src-main/api/http/server';
import { Workspace } from '../../../src-main/engine/workspace/workspace';
import { DEFAULT_OPS_POLICY } from '../../../src-main/shared/operations/opsPolicy';
import type { Job } from '../../../src-main/shared/events';
import { errorCode, rawExchange } from '../../support/rawHttp';
import { promtoolCheckMetrics, prometheusService, queryPrometheus, requirePrometheus, requirePromtool } from '../../support/prometheus';
import { tempWorkspace, waitForEvent } from '../../support/waitForEvent';

const BIN = resolve(__dirname, '../../../bin/bullpen.js');

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a text exposition (comment lines skipped). */
function samples(exposition: string): Sample[] {
  const out: Sample[] = [];
  for (const line of exposition.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

function valueOf(all: Sample[], name: string, labels: Record<string, string>): number | undefined {
  return all.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

/**
 * A workspace with live deployments and checks written directly (the deployment and monitoring services
 * are not needed to show what the gauges read): one deployment whose check stores the dataset-drift result
 * with its features nested and every statistic, one whose check stores flat entries with only the rule's
 * value, and rows the gauges must ignore (a replay's, a stopped deployment's, an older check).
 */
async function seedOperations(path: string, names: { nested: string; flat: string }): Promise<void> {
  const ws = await Workspace.open(path);
  try {
    const policy = JSON.stringify(DEFAULT_OPS_POLICY);
    const ksPolicy = JSON.stringify({ ...DEFAULT_OPS_POLICY, featureDrift: { default: { method: 'ks', threshold: 0.1 }, features: {} } });
    const deployment = (id: string, name: string, replay: string | null, status: string, p: string) =>
      ws.run(
        `INSERT INTO deployments VALUES (?, ?, ?, 'moneyline-model', 1, 'moneyline-model', ?, ?::JSON, NULL, '2024-05-01T08:00:00Z', NULL)`,
        [id, name, replay, status, p],
      );
    await deployment('dep-nested', names.nested, null, 'active', policy);
    await deployment('dep-flat', names.flat, null, 'active', ksPolicy);
    await deployment('dep-stopped', `stopped-${names.nested}`, null, 'stopped', policy);
    await deployment('dep-replay', `replay-${names.nested}`, 'replay-1', 'active', policy);

    const check = (id: string, dep: string, replay: string | null, at: string, score: number | null, results: unknown) =>
      ws.run(`INSERT INTO monitor_checks VALUES (?, ?, ?, ?::TIMESTAMPTZ, NULL, NULL, ?, ?::JSON)`, [
        id,
        dep,
        replay,
        at,
        score,
        JSON.stringify(results),
      ]);
    const nestedResults = [
      {
        monitor: 'datasetDrift',
        subject: null,
        value: 0.5,
        threshold: 0.5,
        status: 'alert',
        explanation: '1 of 2 features drifted',
        features: [
          {
            monitor: 'featureDrift',
            subject: 'home_runs_avg',
            method: 'psi',
            value: 0.31,
            threshold: 0.2,
            status: 'alert',
            explanation: '',
            statistics: { psi: 0.31, ks: 0.12 },
          },
          {
            monitor: 'featureDrift',
            subject: 'away_era',
            method: 'psi',
            value: 0.05,
            threshold: 0.2,
            status: 'ok',
            explanation: '',
            statistics: { psi: 0.05, ks: 0.04 },
          },
        ],
      },
      { monitor: 'predictionDrift', subject: null, value: 0.08, threshold: 0.3, status: 'ok', explanation: '', ks: { statistic: 0.08 } },
      {
        monitor: 'performanceDrift',
        subject: null,
        value: 0.02,
        threshold: 0.1,
        status: 'ok',
        explanation: '',
        metrics: [
          { monitor: 'performanceDrift', subject: 'roi', value: 0.03, current: -0.05 },
          { monitor: 'performanceDrift', subject: 'logLoss', value: 0.01, current: 0.69 },
        ],
      },
      { monitor: 'driftScore', subject: null, value: 0.42, threshold: 0.7, status: 'ok', explanation: '' },
    ];
    await check('c-old', 'dep-nested', null, '2024-05-01T10:00:00Z', 0.9, nestedResults);
    await check('c-latest', 'dep-nested', null, '2024-05-01T11:00:00Z', 0.42, nestedResults);
    await check('c-replay', 'dep-nested', 'replay-1', '2024-05-01T12:00:00Z', 0.99, nestedResults);
    await check('c-replay-dep', 'dep-replay', 'replay-1', '2024-05-01T12:00:00Z', 0.99, nestedResults);
    await check('c-stopped', 'dep-stopped', null, '2024-05-01T12:00:00Z', 0.99, nestedResults);
    await check('c-flat', 'dep-flat', null, '2024-05-01T11:30:00Z', null, [
      { monitor: 'featureDrift', subject: 'home_runs_avg', value: 0.22, threshold: 0.1, status: 'alert', explanation: '' },
      { monitor: 'driftScore', subject: null, value: 0.6, threshold: 0.7, status: 'ok', explanation: '' },
    ]);

    const alert = (id: string, dep: string, replay: string | null, status: string) =>
      ws.run(
        `INSERT INTO alerts VALUES (?, ?, ?, 'featureDrift', 'home_runs_avg', 'alert', 0.31, 0.2, 'drifted', '2024-05-01T11:00:00Z', '2024-05-01T11:00:00Z', ?, NULL, NULL)`,
        [id, dep, replay, status],
      );
    await alert('a1', 'dep-nested', null, 'firing');
    await alert('a2', 'dep-nested', null, 'firing');
    await alert('a3', 'dep-nested', null, 'resolved');
    await alert('a4', 'dep-nested', 'replay-1', 'firing');
  } finally {
    ws.close();
  }
}

/** What the seeded workspace must show, whichever way it is served. */
function expectSeededGauges(exposition: string, names: { nested: string; flat: string }): void {
  const all = samples(exposition);
  const nested = { deployment: names.nested };
  const flat = { deployment: names.flat };
  expect(valueOf(all, 'bullpen_drift_score', nested)).toBe(0.42);
  expect(valueOf(all, 'bullpen_drift_score', flat)).toBe(0.6);
  expect(valueOf(all, 'bullpen_drift_psi', { ...nested, feature: 'home_runs_avg' })).toBe(0.31);
  expect(valueOf(all, 'bullpen_drift_psi', { ...nested, feature: 'away_era' })).toBe(0.05);
  expect(valueOf(all, 'bullpen_drift_ks', { ...nested, feature: 'home_runs_avg' })).toBe(0.12);
  // The flat entry carries only its rule's value; the policy says the rule is KS, so it is no PSI.
  expect(valueOf(all, 'bullpen_drift_ks', { ...flat, feature: 'home_runs_avg' })).toBe(0.22);
  expect(valueOf(all, 'bullpen_drift_psi', flat)).toBeUndefined();
  expect(valueOf(all, 'bullpen_prediction_drift_ks', nested)).toBe(0.08);
  expect(valueOf(all, 'bullpen_rolling_roi', nested)).toBe(-0.05);
  expect(valueOf(all, 'bullpen_rolling_log_loss', nested)).toBe(0.69);
  expect(valueOf(all, 'bullpen_alerts_firing', nested)).toBe(2);
  expect(valueOf(all, 'bullpen_alerts_firing', flat)).toBe(0);
  // Replays and stopped deployments are not live production.
  const deployments = new Set(all.filter((s) => s.name.startsWith('bullpen_') && s.labels.deployment).map((s) => s.labels.deployment));
  expect([...deployments].sort()).toEqual([names.flat, names.nested].sort());
  // Process and Node defaults of the engine process.
  expect(valueOf(all, 'process_cpu_seconds_total', {})).toBeGreaterThan(0);
  expect(all.some((s) => s.name === 'nodejs_heap_size_used_bytes')).toBe(true);
}

const uniqueNames = (): { nested: string; flat: string } => {
  const id = randomBytes(4).toString('hex');
  return { nested: `moneyline-${id}`, flat: `flat-${id}` };
};

describe('serve mode /metrics (token-protected) and --metrics-port (127.0.0.1, no token)', () => {
  const promtool = requirePromtool();
  const names = uniqueNames();
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;
  let engine: EngineProcess;
  let server: RunningServer;
  let metricsServer: RunningMetricsServer;
  let host: string;

  const get = (target: string, opts: { token?: string; host?: string; method?: string } = {}): string =>
    `${opts.method ?? 'GET'} ${target} HTTP/1.1\r\nHost: ${opts.host ?? host}\r\nConnection: close\r\n` +
    `${opts.token ? `Authorization: Bearer ${opts.token}\r\n` : ''}\r\n`;

  beforeAll(async () => {
    tmp = await tempWorkspace();
    await seedOperations(tmp.path, names);
    engine = await EngineProcess.start({ workspacePath: tmp.path });
    server = await startServer({ transport: engine, port: 0 });
    metricsServer = await startMetricsServer({ transport: engine, port: 0 });
    host = `127.0.0.1:${server.port}`;
  });

  afterAll(async () => {
    await metricsServer?.close();
    await server?.close();
    await engine?.stop();
    await tmp?.cleanup();
  });

  it.each<[string, { token?: string; method?: string }]>([
    ['no token', {}],
    ['a wrong token', { token: 'not-the-token' }],
    ['HEAD without a token', { method: 'HEAD' }],
  ])('refuses GET /metrics with %s (401)', async (_name, opts) => {
    const res = await rawExchange(server.port, get('/metrics', opts));
    expect(res.status).toBe(401);
    expect(res.body).not.toContain('bullpen_');
    if (opts.method !== 'HEAD') expect(errorCode(res.body)).toBe('UNAUTHORIZED');
  });

  it('refuses other spellings of /metrics without a token instead of serving them as static files', async () => {
    for (const target of ['/METRICS', '/metrics/', '/Metrics?x=1']) {
      const res = await rawExchange(server.port, get(target));
      expect(res.status, target).toBe(401);
    }
  });

  it('answers GET /metrics with the bearer token: the exposition with the operations gauges of live deployments', async () => {
    const res = await rawExchange(server.port, get('/metrics', { token: server.token }));
    expect(res.status).toBe(200);
    expect(res.head).toMatch(/content-type: text\/plain; version=0\.0\.4/i);
    expectSeededGauges(res.body, names);
  });

  it('counts jobs and their durations from the engine job events', async () => {
    // The first scrape makes the registry (the engine host may not have wired it at open yet).
    await rawExchange(server.port, get('/metrics', { token: server.token }));
    const done = waitForEvent<{ type: 'job'; job: Job }>(
      (cb) => engine.onEvent(cb),
      (e) => e.type === 'job' && e.job.kind === 'demo' && e.job.state === 'completed',
    );
    const started = await engine.call('jobs.runDemo', { stepDelayMs: 0, rounds: 1 });
    expect(started.ok).toBe(true);
    await done;
    const all = samples((await rawExchange(server.port, get('/metrics', { token: server.token }))).body);
    expect(valueOf(all, 'bullpen_jobs_total', { kind: 'demo', state: 'completed' })).toBe(1);
    expect(valueOf(all, 'bullpen_jobs_total', { kind: 'demo', state: 'running' })).toBe(1);
    expect(valueOf(all, 'bullpen_job_duration_seconds_count', { kind: 'demo', state: 'completed' })).toBe(1);
    expect(valueOf(all, 'bullpen_job_duration_seconds_sum', { kind: 'demo', state: 'completed' })).toBeGreaterThanOrEqual(0);
  });

  it.skipIf(!promtool)('passes promtool check metrics', async () => {
    const res = await rawExchange(server.port, get('/metrics', { token: server.token }));
    const lint = promtoolCheckMetrics(res.body);
    expect(lint.output).toBe('');
    expect(lint.status).toBe(0);
  });

  it('serves the same exposition on --metrics-port without a token, only at /metrics, only to 127.0.0.1 or localhost', async () => {
    const mhost = `127.0.0.1:${metricsServer.port}`;
    const ok = await rawExchange(metricsServer.port, get('/metrics', { host: mhost }));
    expect(ok.status).toBe(200);
    expectSeededGauges(ok.body, names);
    expect((await rawExchange(metricsServer.port, get('/metrics', { host: `localhost:${metricsServer.port}` }))).status).toBe(200);
    // DNS rebinding: a page on another name resolving to 127.0.0.1 still sends its own Host.
    const rebound = await rawExchange(metricsServer.port, get('/metrics', { host: `evil.example:${metricsServer.port}` }));
    expect(rebound.status).toBe(403);
    expect(rebound.body).not.toContain('bullpen_');
    expect((await rawExchange(metricsServer.port, get('/api/ops/workspace.info', { host: mhost }))).status).toBe(404);
    expect((await rawExchange(metricsServer.port, get('/', { host: mhost }))).status).toBe(404);
    expect((await rawExchange(metricsServer.port, get('/metrics', { host: mhost, method: 'POST' }))).status).toBe(405);
  });
});

describe('the Prometheus round trip: .ci/services Prometheus scrapes bullpen serve --metrics-port', () => {
  const ok = requirePrometheus();
  const names = uniqueNames();
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;
  let serve: ChildProcess | undefined;

  beforeAll(async () => {
    tmp = await tempWorkspace();
    await seedOperations(tmp.path, names);
  });

  afterAll(async () => {
    if (serve && serve.exitCode === null) {
      const exited = new Promise((r) => serve?.once('exit', r));
      serve.kill('SIGTERM');
      await exited;
    }
    await tmp?.cleanup();
  });

  it.skipIf(!ok)('gets the drift gauge back from Prometheus HTTP API after a scrape', async () => {
    const prometheus = prometheusService();
    if (!prometheus) throw new Error('unreachable: requirePrometheus() said it is configured');
    const child = spawn(
      process.execPath,
      [BIN, 'serve', '--json', '--port', '0', '--metrics-port', String(prometheus.target.port), '--workspace', tmp.path],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    serve = child;
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    const firstLine = await new Promise<string>((resolveLine, reject) => {
      if (!child.stdout) return reject(new Error('no stdout'));
      createInterface({ input: child.stdout }).once('line', resolveLine);
      child.once('exit', (code) => reject(new Error(`bullpen serve exited ${code} before printing its URL: ${stderr}`)));
    });
    expect(JSON.parse(firstLine)).toMatchObject({ metricsUrl: `http://127.0.0.1:${prometheus.target.port}/metrics` });

    // Prometheus scrapes every second on its own schedule: poll its API until a scrape carried the gauge.
    const query = `bullpen_drift_score{deployment="${names.nested}"}`;
    let result = await queryPrometheus(prometheus, query);
    for (let tries = 0; result.length === 0 && tries < 240; tries++) {
      await delay(250);
      result = await queryPrometheus(prometheus, query);
    }
    expect(result).toHaveLength(1);
    expect(result[0].metric).toMatchObject({ __name__: 'bullpen_drift_score', deployment: names.nested, job: 'bullpen' });
    expect(Number(result[0].value[1])).toBe(0.42);

    const up = await queryPrometheus(prometheus, `up{job="bullpen", instance="${prometheus.target.host}:${prometheus.target.port}"}`);
    expect(up.map((s) => Number(s.value[1]))).toEqual([1]);
    const psi = await queryPrometheus(prometheus, `bullpen_drift_psi{deployment="${names.nested}", feature="home_runs_avg"}`);
    expect(psi.map((s) => Number(s.value[1]))).toEqual([0.31]);
  });
});
