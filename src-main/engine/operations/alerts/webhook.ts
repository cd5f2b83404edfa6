import { request } from 'undici';
import type { Alert } from '../../../shared/results/operations';
import type { OpsPolicy } from '../../../shared/operations/opsPolicy';
// The MLflow client's retry rules are HTTP's, not MLflow's: the same statuses, backoff and waits serve here.
import {
  DEFAULT_RETRY_POLICY,
  RETRYABLE_STATUSES,
  backoffDelay,
  networkErrorCode,
  sleep as realSleep,
  type RetryPolicy,
} from '../../integrations/mlflow/retryPolicy';
import type { AlertListener } from '../operationsTypes';

/** A policy's `alerts.webhook`: where alerts are POSTed, one attempt's limit, and how many retries follow a failure. */
export type WebhookTarget = NonNullable<OpsPolicy['alerts']['webhook']>;

/** The JSON body a receiver gets: what happened to which alert of which deployment. */
export interface AlertWebhookPayload {
  source: 'bullpen';
  event: 'opened' | 'resolved';
  /** The deployment's name; the alert carries its id. */
  deployment: string | null;
  alert: Alert;
}

export interface DeliveryOptions {
  /** The wait before the first retry (each next one doubles) and the longest wait, a receiver's Retry-After included. */
  backoff?: Partial<Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>>;
  /** How retries wait; tests may record the delays instead. */
  sleep?: (ms: number) => Promise<void>;
  /** Progress and failures, with the URL's credentials and query redacted. */
  log?: (level: 'info' | 'warn', message: string) => void;
}

export interface DeliveryResult {
  ok: boolean;
  /** Requests sent, the first included. */
  attempts: number;
  /** The last HTTP status received, or null when no answer came (refused, reset, timed out). */
  status: number | null;
  /** Why delivery failed (redacted); null when it succeeded. */
  error: string | null;
}

const USER_AGENT = 'bullpen-alerts';

/** `text` with every secret replaced by ***. */
function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('***');
  return out;
}

/**
 * The webhook URL as it may appear in a message: user name, password and query (where tokens usually
 * travel) replaced by ***, the fragment dropped. Never the URL itself.
 */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return '(an unparsable URL)';
  }
  const userinfo = url.username || url.password ? '***@' : '';
  return `${url.protocol}//${userinfo}${url.host}${url.pathname}${url.search ? '?***' : ''}`;
}

/** The parts of a URL that must never reach a log, longest first so a password inside the query is still caught. */
function secretsOfUrl(raw: string): string[] {
  try {
    const url = new URL(raw);
    // Not the URL itself: without userinfo and query it is what messages show, and with them its parts are caught below.
    const parts = [url.search.slice(1), decodeURIComponent(url.password), url.password, decodeURIComponent(url.username), url.username];
    return [...new Set(parts.filter((p) => p.length > 0))].sort((a, b) => b.length - a.length);
  } catch {
    return [raw];
  }
}

/**
 * The request target without userinfo, and the credentials as a Basic Authorization header: undici
 * refuses URLs that carry credentials, and a header keeps them out of any URL it might print.
 */
function requestTarget(raw: string): { url: string; authorization: string | null } {
  const url = new URL(raw);
  if (!url.username && !url.password) return { url: url.toString(), authorization: null };
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = '';
  url.password = '';
  return { url: url.toString(), authorization: `Basic ${Buffer.from(credentials).toString('base64')}` };
}

type Attempt =
  | { kind: 'ok'; status: number }
  | { kind: 'retry'; status: number | null; reason: string; retryAfter: string | null }
  | { kind: 'fatal'; status: number | null; reason: string };

async function attempt(target: WebhookTarget, url: string, authorization: string | null, body: string): Promise<Attempt> {
  try {
    const res = await request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        ...(authorization ? { authorization } : {}),
      },
      body,
      // One limit for connecting, sending and the answer: a receiver that hangs costs timeoutMs, no more.
      signal: AbortSignal.timeout(target.timeoutMs),
    });
    // The answer's body is not read, only drained so the connection can be reused.
    await res.body.dump();
    if (res.statusCode >= 200 && res.statusCode < 300) return { kind: 'ok', status: res.statusCode };
    const retryAfter = res.headers['retry-after'];
    const reason = `HTTP ${res.statusCode}`;
    if (RETRYABLE_STATUSES.has(res.statusCode) || res.statusCode >= 500) {
      return { kind: 'retry', status: res.statusCode, reason, retryAfter: typeof retryAfter === 'string' ? retryAfter : null };
    }
    // A redirect or a refusal (400, 401, 404…) says the URL or the receiver is wrong: retrying cannot fix it.
    return {
      kind: 'fatal',
      status: res.statusCode,
      reason: `${reason}: the receiver refused the alert (check the policy's alerts.webhook.url)`,
    };
  } catch (err) {
    const name = err instanceof Error ? err.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') {
      return { kind: 'retry', status: null, reason: `no answer within ${target.timeoutMs} ms`, retryAfter: null };
    }
    const code = networkErrorCode(err);
    const message = err instanceof Error ? err.message : String(err);
    if (code === 'ERR_INVALID_URL' || code === 'UND_ERR_INVALID_ARG')
      return { kind: 'fatal', status: null, reason: `the URL cannot be requested: ${message}` };
    return { kind: 'retry', status: null, reason: code ? `${code}: ${message}` : message, retryAfter: null };
  }
}

/**
 * POSTs `payload` as JSON to the webhook: each attempt limited to timeoutMs, failed attempts (no answer,
 * 408, 429, 5xx) retried up to `retries` times with exponential backoff. Never throws; nothing it logs or
 * returns contains the URL's credentials or query.
 */
export async function deliverWebhook(target: WebhookTarget, payload: unknown, options: DeliveryOptions = {}): Promise<DeliveryResult> {
  const shown = redactUrl(target.url);
  const secrets = secretsOfUrl(target.url);
  const log = (level: 'info' | 'warn', message: string): void => options.log?.(level, redact(message, secrets));
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.backoff, maxAttempts: target.retries + 1 };
  const wait = options.sleep ?? realSleep;
  let url: string;
  let authorization: string | null;
  try {
    ({ url, authorization } = requestTarget(target.url));
  } catch {
    const error = `webhook ${shown}: not a URL that can be requested`;
    log('warn', error);
    return { ok: false, attempts: 0, status: null, error };
  }
  const body = JSON.stringify(payload);
  for (let n = 1; ; n++) {
    const result = await attempt(target, url, authorization, body);
    const status = result.status;
    if (result.kind === 'ok') {
      if (n > 1) log('info', `webhook ${shown}: delivered on attempt ${n}`);
      return { ok: true, attempts: n, status, error: null };
    }
    if (result.kind === 'fatal' || n >= policy.maxAttempts) {
      const error = redact(`webhook ${shown}: gave up after ${n} attempt${n === 1 ? '' : 's'}: ${result.reason}`, secrets);
      log('warn', error);
      return { ok: false, attempts: n, status, error };
    }
    const delay = backoffDelay(n, policy, result.retryAfter);
    log('info', `webhook ${shown}: attempt ${n} of ${policy.maxAttempts} failed (${result.reason}); retrying in ${delay} ms`);
    await wait(delay);
  }
}

/** Where a deployment's alerts go: its name and its policy's webhook (null: none). */
export interface WebhookRoute {
  deployment: string | null;
  webhook: WebhookTarget | null;
}

export interface WebhookNotifier {
  /** Register with the monitoring service: returns at once, delivers in the background. */
  listener: AlertListener;
  /** Resolves once every delivery started so far has finished (engine shutdown, tests). */
  idle(): Promise<void>;
}

/**
 * The alert listener for webhooks: looks up the alert's deployment's webhook and delivers in the
 * background, so a slow or dead receiver never holds up a monitoring check, and never throws into it.
 * Only live alerts belong here (a replay's alerts must not page anyone): register it for live scopes.
 */
export function webhookNotifier(routeFor: (deploymentId: string) => Promise<WebhookRoute>, options: DeliveryOptions = {}): WebhookNotifier {
  const pending = new Set<Promise<void>>();
  const deliver = async (alert: Alert, event: 'opened' | 'resolved'): Promise<void> => {
    let route: WebhookRoute;
    try {
      route = await routeFor(alert.deploymentId);
    } catch (err) {
      options.log?.(
        'warn',
        `webhook for alert ${alert.id}: cannot read deployment ${alert.deploymentId}: ${err instanceof Error ? err.message : String(err)}`,
      );
      return;
    }
    if (!route.webhook) return;
    const payload: AlertWebhookPayload = { source: 'bullpen', event, deployment: route.deployment, alert };
    await deliverWebhook(route.webhook, payload, options);
  };
  return {
    listener: (alert, event) => {
      const delivery = deliver(alert, event).catch((err: unknown) =>
        options.log?.('warn', `webhook for alert ${alert.id} failed unexpectedly: ${err instanceof Error ? err.message : String(err)}`),
      );
      pending.add(delivery);
      void delivery.finally(() => pending.delete(delivery));
    },
    idle: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
