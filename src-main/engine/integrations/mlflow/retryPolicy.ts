/**
 * When and how long to wait before retrying an MLflow request: the statuses MLflow's own client retries
 * (408, 429, 500, 502, 503, 504) and dropped connections, with exponential backoff, bounded in attempts
 * and per-wait delay so an export against a dead server fails in seconds, not minutes.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** The wait before the first retry; each next wait doubles. */
  baseDelayMs: number;
  /** No wait is longer than this (a server's Retry-After included). */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 250, maxDelayMs: 8_000 };

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** Error codes of a connection that was refused, reset or timed out on the way (Node's and undici's). */
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** The network error code inside a fetch failure (`TypeError: fetch failed` wraps it in `cause`), or null. */
export function networkErrorCode(err: unknown): string | null {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

export function isRetryableNetworkError(err: unknown): boolean {
  const code = networkErrorCode(err);
  return code !== null && RETRYABLE_NETWORK_CODES.has(code);
}

/** The wait before retry number `retry` (1 = the first retry): base × 2^(retry−1), at most maxDelayMs; a Retry-After in seconds wins when longer. */
export function backoffDelay(retry: number, policy: RetryPolicy, retryAfterHeader?: string | null): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  const seconds = retryAfterHeader != null && /^\d+$/.test(retryAfterHeader.trim()) ? Number(retryAfterHeader.trim()) : null;
  return seconds === null ? exponential : Math.min(policy.maxDelayMs, Math.max(exponential, seconds * 1000));
}

/** Waits `ms`, or rejects at once when the signal aborts (a cancelled export never sits out a backoff). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
