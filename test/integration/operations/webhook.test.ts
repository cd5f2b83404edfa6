import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { deliverWebhook, redactUrl, webhookNotifier, type AlertWebhookPayload } from '../../../src-main/engine/operations/alerts/webhook';
import {
  desktopNotice,
  desktopNotificationListener,
  type DesktopNotice,
} from '../../../src-main/engine/operations/alerts/desktopNotifications';
import { attachAlertNotifiers } from '../../../src-main/engine/operations/alerts/alertNotifiers';
import type { AlertListener } from '../../../src-main/engine/operations/operationsTypes';
import { Workspace } from '../../../src-main/engine/workspace/workspace';
import { DEFAULT_OPS_POLICY } from '../../../src-main/shared/operations/opsPolicy';
import type { Alert } from '../../../src-main/shared/results/operations';
import { tempWorkspace } from '../../support/waitForEvent';

/** What the receiver does with one request: answer with a status, or never answer. */
type Behaviour = number | 'hang';

interface Received {
  at: number;
  headers: IncomingMessage['headers'];
  url: string;
  body: string;
}

/** A local HTTP receiver answering each request with the next scripted behaviour (the last one repeats). */
class Receiver {
  readonly received: Received[] = [];
  private script: Behaviour[] = [200];
  private readonly hanging = new Set<ServerResponse>();
  private server!: Server;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        this.received.push({ at: performance.now(), headers: req.headers, url: req.url ?? '', body });
        const behaviour = this.script.length > 1 ? this.script.shift()! : this.script[0];
        if (behaviour === 'hang') {
          this.hanging.add(res);
          return;
        }
        res.writeHead(behaviour, { 'content-type': 'text/plain' }).end(`status ${behaviour}`);
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
  }

  reset(script: Behaviour[]): void {
    this.script = [...script];
    this.received.length = 0;
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

const alert: Alert = {
  id: 'alert-1',
  deploymentId: 'dep-1',
  monitor: 'featureDrift',
  subject: 'home_runs_scored_avg',
  severity: 'alert',
  value: 0.31,
  threshold: 0.2,
  explanation: 'home_runs_scored_avg: PSI 0.31 > 0.2, drifted (412 current values, 0 missing)',
  firstSeen: '2016-07-03T10:00:00.000Z',
  lastSeen: '2016-07-03T10:00:00.000Z',
  status: 'firing',
  acknowledgedBy: null,
  acknowledgedAt: null,
};

const BASE_DELAY_MS = 100;

describe('alert webhook against a local receiver', () => {
  const receiver = new Receiver();

  beforeAll(() => receiver.start());
  afterAll(() => receiver.stop());
  beforeEach(() => receiver.reset([200]));

  it('POSTs the alert as JSON once when the receiver answers 2xx', async () => {
    const payload: AlertWebhookPayload = { source: 'bullpen', event: 'opened', deployment: 'moneyline', alert };
    const result = await deliverWebhook({ url: receiver.url(), timeoutMs: 2_000, retries: 3 }, payload);
    expect(result).toEqual({ ok: true, attempts: 1, status: 200, error: null });
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0].headers['content-type']).toBe('application/json');
    expect(JSON.parse(receiver.received[0].body)).toEqual(payload);
  });

  it('retries two failures with exponential backoff and succeeds on the third attempt', async () => {
    receiver.reset([503, 500, 200]);
    const started = performance.now();
    const result = await deliverWebhook(
      { url: receiver.url(), timeoutMs: 2_000, retries: 3 },
      { alert },
      { backoff: { baseDelayMs: BASE_DELAY_MS, maxDelayMs: 10_000 } },
    );
    const elapsed = performance.now() - started;
    expect(result).toEqual({ ok: true, attempts: 3, status: 200, error: null });
    expect(receiver.received).toHaveLength(3);
    const [a, b, c] = receiver.received.map((r) => r.at);
    // Waits of base, then 2 × base between the attempts (timers may fire a little late, never early).
    expect(b - a).toBeGreaterThanOrEqual(BASE_DELAY_MS - 5);
    expect(c - b).toBeGreaterThanOrEqual(2 * BASE_DELAY_MS - 5);
    expect(c - b).toBeGreaterThan(b - a);
    // Bounded: the two waits plus three quick exchanges, far below the 2 s per-attempt limit.
    expect(elapsed).toBeLessThan(3 * BASE_DELAY_MS + 2_000);
  });

  it('gives up after 1 + retries attempts, and does not retry a refusal (404)', async () => {
    receiver.reset([503]);
    const failing = await deliverWebhook(
      { url: receiver.url(), timeoutMs: 2_000, retries: 2 },
      { alert },
      { backoff: { baseDelayMs: 10 } },
    );
    expect(failing).toMatchObject({ ok: false, attempts: 3, status: 503 });
    expect(failing.error).toContain('gave up after 3 attempts: HTTP 503');

    receiver.reset([404]);
    const refused = await deliverWebhook(
      { url: receiver.url(), timeoutMs: 2_000, retries: 3 },
      { alert },
      { backoff: { baseDelayMs: 10 } },
    );
    expect(refused).toMatchObject({ ok: false, attempts: 1, status: 404 });
    expect(receiver.received).toHaveLength(1);
  });

  it('abandons an attempt at a receiver that never answers after timeoutMs, and reports the timeout', async () => {
    receiver.reset(['hang']);
    const timeoutMs = 300;
    const started = performance.now();
    const result = await deliverWebhook({ url: receiver.url(), timeoutMs, retries: 1 }, { alert }, { backoff: { baseDelayMs: 50 } });
    const elapsed = performance.now() - started;
    expect(result).toMatchObject({ ok: false, attempts: 2, status: null });
    expect(result.error).toContain(`no answer within ${timeoutMs} ms`);
    expect(receiver.received).toHaveLength(2);
    expect(elapsed).toBeGreaterThanOrEqual(2 * timeoutMs + 50 - 5);
    expect(elapsed).toBeLessThan(2 * timeoutMs + 50 + 2_000);
  });

  it('sends URL credentials as Basic auth and never logs the password, user or query', async () => {
    receiver.reset([503, 200]);
    const logs: string[] = [];
    const url = `http://hook-user:s3cr%3At@127.0.0.1:${receiver.port}/hook?token=abc123secret`;
    const result = await deliverWebhook(
      { url, timeoutMs: 2_000, retries: 2 },
      { alert },
      { backoff: { baseDelayMs: 10 }, log: (_l, m) => logs.push(m) },
    );
    expect(result.ok).toBe(true);
    expect(receiver.received[0].headers.authorization).toBe(`Basic ${Buffer.from('hook-user:s3cr:t').toString('base64')}`);
    expect(receiver.received[0].url).toBe('/hook?token=abc123secret');
    expect(logs.length).toBeGreaterThan(0);
    for (const line of logs) {
      expect(line).not.toMatch(/s3cr|hook-user|abc123secret/);
      expect(line).toContain(`http://***@127.0.0.1:${receiver.port}/hook?***`);
    }
    expect(redactUrl(url)).toBe(`http://***@127.0.0.1:${receiver.port}/hook?***`);
  });

  it('never throws into the monitoring check: the listener returns at once, a dead or hanging receiver is only logged', async () => {
    receiver.reset(['hang']);
    const logs: string[] = [];
    const routes: Record<string, string> = {
      'dep-hanging': receiver.url(),
      // A port nobody listens on: the connection is refused.
      'dep-dead': 'http://127.0.0.1:9/hook',
    };
    const notifier = webhookNotifier(
      async (deploymentId) => {
        if (deploymentId === 'dep-unknown') throw new Error('no deployment dep-unknown');
        return { deployment: deploymentId, webhook: { url: routes[deploymentId], timeoutMs: 200, retries: 1 } };
      },
      { backoff: { baseDelayMs: 10 }, log: (_l, m) => logs.push(m) },
    );
    for (const deploymentId of ['dep-hanging', 'dep-dead', 'dep-unknown']) {
      expect(notifier.listener({ ...alert, deploymentId }, 'opened')).toBeUndefined();
    }
    await notifier.idle();
    expect(receiver.received).toHaveLength(2);
    expect(logs.some((m) => m.includes(`webhook ${receiver.url()}: gave up after 2 attempts: no answer within 200 ms`))).toBe(true);
    expect(logs.some((m) => m.includes('webhook http://127.0.0.1:9/hook: gave up after 2 attempts') && m.includes('ECONNREFUSED'))).toBe(
      true,
    );
    expect(logs.some((m) => m.includes('cannot read deployment dep-unknown'))).toBe(true);
  });

  it('delivers the listener payload with the event and deployment name, and skips deployments without a webhook', async () => {
    const notifier = webhookNotifier(async (deploymentId) =>
      deploymentId === 'dep-1'
        ? { deployment: 'moneyline', webhook: { url: receiver.url(), timeoutMs: 2_000, retries: 0 } }
        : { deployment: 'quiet', webhook: null },
    );
    notifier.listener({ ...alert, status: 'resolved' }, 'resolved');
    notifier.listener({ ...alert, deploymentId: 'dep-2' }, 'opened');
    await notifier.idle();
    expect(receiver.received).toHaveLength(1);
    expect(JSON.parse(receiver.received[0].body)).toMatchObject({
      source: 'bullpen',
      event: 'resolved',
      deployment: 'moneyline',
      alert: { id: 'alert-1' },
    });
  });
});

describe('alert notifiers attached to monitoring, routed by the stored deployment policy', () => {
  const receiver = new Receiver();
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;
  let ws: Workspace;

  beforeAll(async () => {
    await receiver.start();
    tmp = await tempWorkspace();
    ws = await Workspace.open(tmp.path);
    const withHook = JSON.stringify({
      ...DEFAULT_OPS_POLICY,
      alerts: { webhook: { url: receiver.url('/live'), timeoutMs: 2_000, retries: 0 }, desktop: true },
    });
    const replayHook = JSON.stringify({
      ...DEFAULT_OPS_POLICY,
      alerts: { webhook: { url: receiver.url('/replay'), timeoutMs: 2_000, retries: 0 }, desktop: true },
    });
    const insert = (id: string, name: string, replay: string | null, policy: string) =>
      ws.run(`INSERT INTO deployments VALUES (?, ?, ?, 'm', 1, 'm', 'active', ?::JSON, NULL, '2016-04-01T00:00:00Z', NULL)`, [
        id,
        name,
        replay,
        policy,
      ]);
    await insert('dep-live', 'moneyline', null, withHook);
    await insert('dep-replayed', 'moneyline', 'replay-7', replayHook);
    await insert('dep-quiet', 'quiet', null, JSON.stringify(DEFAULT_OPS_POLICY));
  });

  afterAll(async () => {
    await receiver.stop();
    ws?.close();
    await tmp?.cleanup();
  });

  it("posts and notifies live deployments' alerts only: never a replay's, never one without a webhook", async () => {
    const listeners: AlertListener[] = [];
    const notices: string[] = [];
    const notifiers = attachAlertNotifiers(
      {
        onAlert: (l) => {
          listeners.push(l);
          return () => listeners.splice(listeners.indexOf(l), 1);
        },
      },
      ws,
      { desktop: (n) => notices.push(n.title) },
    );
    expect(listeners).toHaveLength(2);
    for (const deploymentId of ['dep-live', 'dep-replayed', 'dep-quiet', 'dep-missing']) {
      for (const l of listeners) l({ ...alert, deploymentId }, 'opened');
    }
    await notifiers.idle();
    expect(receiver.received.map((r) => r.url)).toEqual(['/live']);
    expect(JSON.parse(receiver.received[0].body)).toMatchObject({ deployment: 'moneyline', alert: { deploymentId: 'dep-live' } });
    // The quiet deployment keeps the default alerts.desktop: true; the replay's and the unknown one get nothing.
    expect(notices.sort()).toEqual(['Bullpen alert: moneyline', 'Bullpen alert: quiet']);
    notifiers.detach();
    expect(listeners).toHaveLength(0);
  });
});

describe('desktop notification hook', () => {
  it('hands the shell a notice for deployments that keep alerts.desktop on, and nothing for the others', async () => {
    const shown: DesktopNotice[] = [];
    const desktop = desktopNotificationListener(
      async (deploymentId) => ({ deployment: deploymentId === 'dep-1' ? 'moneyline' : 'muted', desktop: deploymentId === 'dep-1' }),
      (notice) => shown.push(notice),
    );
    expect(desktop.listener({ ...alert, deploymentId: 'dep-2' }, 'opened')).toBeUndefined();
    desktop.listener(alert, 'opened');
    await desktop.idle();
    expect(shown).toEqual([desktopNotice(alert, 'opened', 'moneyline')]);
    expect(shown[0]).toMatchObject({ title: 'Bullpen alert: moneyline', urgency: 'critical', alertId: 'alert-1' });
    expect(shown[0].body).toContain('featureDrift (home_runs_scored_avg): home_runs_scored_avg: PSI 0.31 > 0.2');
    expect(desktopNotice({ ...alert, status: 'resolved' }, 'resolved', 'moneyline')).toMatchObject({
      title: 'Bullpen: resolved on moneyline',
      urgency: 'normal',
    });
  });

  it('gathers the alerts of one check: a few are shown each, more than three become one summary per deployment', async () => {
    const shown: DesktopNotice[] = [];
    const desktop = desktopNotificationListener(
      async (deploymentId) => ({ deployment: deploymentId === 'dep-1' ? 'moneyline' : 'totals', desktop: true }),
      (notice) => shown.push(notice),
    );
    const features = ['f1', 'f2', 'f3', 'f4', 'f5'];
    for (const [i, f] of features.entries())
      desktop.listener({ ...alert, id: `a-${i}`, subject: f, severity: i === 3 ? 'alert' : 'warn' }, 'opened');
    desktop.listener({ ...alert, id: 'b-0', deploymentId: 'dep-2' }, 'opened');
    desktop.listener({ ...alert, id: 'b-1', deploymentId: 'dep-2', subject: 'other' }, 'opened');
    await desktop.idle();
    const summary = shown.find((n) => n.deploymentId === 'dep-1');
    expect(shown.filter((n) => n.deploymentId === 'dep-1')).toHaveLength(1);
    expect(summary).toMatchObject({ title: 'Bullpen: 5 alerts on moneyline', urgency: 'critical', alertId: 'a-0' });
    expect(summary?.body.split('\n')).toEqual([
      'featureDrift (f1)',
      'featureDrift (f2)',
      'featureDrift (f3)',
      'and 2 more: open the Monitoring screen',
    ]);
    expect(shown.filter((n) => n.deploymentId === 'dep-2').map((n) => n.alertId)).toEqual(['b-0', 'b-1']);
  });
});
