import { Agent, fetch, type Response } from 'undici';
import type { z } from 'zod';
import { codeVersion } from '../../tracking/codeVersion';
import { MlflowError, responseError, unreachableError } from './mlflowErrors';
import {
  DEFAULT_RETRY_POLICY,
  RETRYABLE_STATUSES,
  backoffDelay,
  isRetryableNetworkError,
  networkErrorCode,
  sleep as realSleep,
  type RetryPolicy,
} from './retryPolicy';
import { authorizationHeader, redact, secretsOf, type TrackingConfig } from './trackingConfig';

export interface MlflowHttpOptions {
  retry?: Partial<RetryPolicy>;
  /** How retries wait; tests pass one that records the delays instead of sleeping. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Cancels every request in flight and every wait (the export job's signal). */
  signal?: AbortSignal;
  /** One attempt's limit; a request that takes longer is retried like a dropped connection. */
  requestTimeoutMs?: number;
  /** Called before every HTTP request is sent, retries included (counting; tests that stop an export at a chosen request). */
  onRequest?: (request: { method: string; path: string; attempt: number }) => void;
}

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';

export interface JsonRequest<T> {
  method: Exclude<HttpMethod, 'PUT'>;
  /** Under the tracking URI, e.g. `/api/2.0/mlflow/runs/get`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  schema: z.ZodType<T>;
  /**
   * For creates: asked before each retry. A create whose answer was lost may have happened; when the
   * lookup finds the object, it is the answer and the create is not sent again.
   */
  lookupBeforeRetry?: () => Promise<T | null>;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * HTTP to one MLflow tracking server: JSON requests and raw artifact uploads with the configured
 * authentication and TLS, bounded retries with exponential backoff on 408/429/5xx and dropped
 * connections, MLflow's error shape and plain-text 401/403 turned into `external` errors naming the URL
 * and status. Counts every request it sends. Credentials appear only in the Authorization header.
 */
export class MlflowHttp {
  private sent = 0;
  private readonly agent: Agent;
  private readonly policy: RetryPolicy;
  private readonly secrets: string[];
  private readonly wait: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(
    readonly config: TrackingConfig,
    private readonly options: MlflowHttpOptions = {},
  ) {
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.secrets = secretsOf(config.auth);
    this.wait = options.sleep ?? realSleep;
    this.agent = new Agent({
      connect: {
        timeout: CONNECT_TIMEOUT_MS,
        rejectUnauthorized: !config.tls.insecure,
        ...(config.tls.ca ? { ca: config.tls.ca } : {}),
      },
    });
  }

  /** HTTP requests sent so far, retries included. */
  get requestCount(): number {
    return this.sent;
  }

  get trackingUri(): string {
    return this.config.trackingUri;
  }

  /** Sends a JSON request and parses the answer by `schema` (an empty body reads as `{}`). */
  async json<T>(req: JsonRequest<T>): Promise<T> {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) query.set(k, String(v));
    const path = query.size ? `${req.path}?${query.toString()}` : req.path;
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    const found = await this.send(req.method, path, body, body === undefined ? null : 'application/json', req.lookupBeforeRetry);
    if (found.kind === 'looked-up') return found.value;
    let parsedJson: unknown;
    try {
      parsedJson = found.text.trim() === '' ? {} : JSON.parse(found.text);
    } catch {
      throw this.unexpected(req.method, req.path, 'an answer that is not JSON', found.text);
    }
    const parsed = req.schema.safeParse(parsedJson);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw this.unexpected(
        req.method,
        req.path,
        `an answer Bullpen does not understand (${i ? `${i.path.join('.') || 'body'}: ${i.message}` : 'invalid'})`,
        '',
      );
    }
    return parsed.data;
  }

  /** Uploads one file's bytes with a PUT (the mlflow-artifacts proxy takes one file per request). */
  async put(path: string, bytes: Uint8Array, contentType: string): Promise<void> {
    await this.send('PUT', path, bytes, contentType);
  }

  /** A GET whose answer is plain text (`/version`). */
  async text(path: string): Promise<string> {
    const r = await this.send('GET', path, undefined, null);
    return r.kind === 'sent' ? r.text : '';
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private url(path: string): string {
    return `${this.config.trackingUri}${path}`;
  }

  private unexpected(method: string, path: string, what: string, body: string): MlflowError {
    const url = this.url(path);
    return new MlflowError(
      'MLFLOW_UNEXPECTED_ANSWER',
      redact(
        `MLflow at ${url} gave ${what} to ${method}${body ? `: ${body.slice(0, 200)}` : ''}; is this an MLflow tracking server?`,
        this.secrets,
      ),
      null,
      null,
      { url, method },
    );
  }

  private headers(contentType: string | null): Record<string, string> {
    const h: Record<string, string> = { 'User-Agent': `bullpen/${codeVersion()}`, Accept: 'application/json, text/plain, */*' };
    const auth = authorizationHeader(this.config.auth);
    if (auth) h.Authorization = auth;
    if (contentType) h['Content-Type'] = contentType;
    return h;
  }

  private async send<T>(
    method: HttpMethod,
    path: string,
    body: string | Uint8Array | undefined,
    contentType: string | null,
    lookupBeforeRetry?: () => Promise<T | null>,
  ): Promise<{ kind: 'sent'; text: string } | { kind: 'looked-up'; value: T }> {
    const url = this.url(path);
    // Messages name the URL without its query (names and ids belong in details, not in a log line).
    const shown = { method, url: url.split('?')[0] };
    const signal = this.options.signal;
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1) {
        if (lookupBeforeRetry) {
          const existing = await lookupBeforeRetry();
          if (existing !== null) return { kind: 'looked-up', value: existing };
        }
      }
      signal?.throwIfAborted();
      this.options.onRequest?.({ method, path, attempt });
      this.sent++;
      const timeout = AbortSignal.timeout(this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
      let res: Response;
      try {
        res = await fetch(url, {
          method,
          headers: this.headers(contentType),
          ...(body !== undefined ? { body } : {}),
          dispatcher: this.agent,
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
      } catch (err) {
        if (signal?.aborted) throw signal.reason;
        const timedOut = timeout.aborted;
        const code = timedOut ? 'ETIMEDOUT' : networkErrorCode(err);
        if ((timedOut || isRetryableNetworkError(err)) && attempt < this.policy.maxAttempts) {
          await this.wait(backoffDelay(attempt, this.policy), signal);
          continue;
        }
        throw unreachableError(shown, code, attempt, redact((err as Error).message ?? String(err), this.secrets));
      }
      let text: string;
      try {
        text = await res.text();
      } catch (err) {
        if (signal?.aborted) throw signal.reason;
        // The connection dropped while the body was read: the same as a reset before the answer.
        if (attempt < this.policy.maxAttempts) {
          await this.wait(backoffDelay(attempt, this.policy), signal);
          continue;
        }
        throw unreachableError(shown, networkErrorCode(err), attempt, redact((err as Error).message, this.secrets));
      }
      if (res.ok) return { kind: 'sent', text };
      if (RETRYABLE_STATUSES.has(res.status) && attempt < this.policy.maxAttempts) {
        await this.wait(backoffDelay(attempt, this.policy, res.headers.get('retry-after')), signal);
        continue;
      }
      const error = responseError(shown, res.status, res.statusText, redact(text, this.secrets));
      throw error;
    }
  }
}
