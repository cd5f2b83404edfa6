import { z } from 'zod';
import { BullpenError } from '../../../shared/errors';

/** MLflow's JSON error body (every REST handler answers failures this way; proxies and the auth app do not). */
export const mlflowErrorBodySchema = z.object({ error_code: z.string(), message: z.string().optional() });

/** Longest part of a server's body quoted in a message: enough to read a plain-text reason, never a whole page. */
const MAX_QUOTED_BODY = 300;

/**
 * A failed MLflow request: always kind `external` (exit 4), naming the URL and the status, never a
 * credential. `status` and `errorCode` let the exporter tell "not there yet" (RESOURCE_DOES_NOT_EXIST)
 * and "already there" (RESOURCE_ALREADY_EXISTS) from real failures.
 */
export class MlflowError extends BullpenError {
  constructor(
    code: string,
    message: string,
    readonly status: number | null,
    readonly errorCode: string | null,
    details: Record<string, unknown>,
  ) {
    super('external', code, message, details);
    this.name = 'MlflowError';
  }
}

export const isMlflowError = (err: unknown, errorCode?: string): err is MlflowError =>
  err instanceof MlflowError && (errorCode === undefined || err.errorCode === errorCode);

/** True when the server does not know the route: an MLflow 2 server asked for an MLflow 3 endpoint. */
export const isEndpointMissing = (err: unknown): boolean =>
  err instanceof MlflowError && (err.errorCode === 'ENDPOINT_NOT_FOUND' || (err.status === 404 && err.errorCode === null));

function quote(text: string): string {
  const flat = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > MAX_QUOTED_BODY ? `${flat.slice(0, MAX_QUOTED_BODY)}…` : flat;
}

/** The error for an HTTP answer that is not 2xx: MLflow's JSON shape when it is one, else the plain text (401/403 from the auth app or a proxy). */
export function responseError(request: { method: string; url: string }, status: number, statusText: string, body: string): MlflowError {
  let errorCode: string | null = null;
  let serverMessage = body;
  try {
    const parsed = mlflowErrorBodySchema.safeParse(JSON.parse(body));
    if (parsed.success) {
      errorCode = parsed.data.error_code;
      serverMessage = parsed.data.message ?? '';
    }
  } catch {
    // not JSON: a proxy's or the auth app's plain-text answer, quoted as it is
  }
  const head = `MLflow at ${request.url} answered ${status}${statusText ? ` ${statusText}` : ''} to ${request.method}`;
  const said = quote(serverMessage);
  const details = { url: request.url, method: request.method, status, ...(errorCode ? { errorCode } : {}) };
  if (status === 401)
    return new MlflowError(
      'MLFLOW_UNAUTHENTICATED',
      `${head}${said ? `: ${said}` : ''}; set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD (or MLFLOW_TRACKING_TOKEN) to valid credentials`,
      status,
      errorCode,
      details,
    );
  if (status === 403)
    return new MlflowError(
      'MLFLOW_PERMISSION_DENIED',
      `${head}${said ? `: ${said}` : ''}; the MLflow user in MLFLOW_TRACKING_USERNAME (or the token) lacks the permission: ask the server's admin for it`,
      status,
      errorCode,
      details,
    );
  return new MlflowError(
    errorCode ? `MLFLOW_${errorCode}` : 'MLFLOW_REQUEST_FAILED',
    `${head}${errorCode ? `: ${errorCode}` : ''}${said ? `: ${said}` : ''}`,
    status,
    errorCode,
    details,
  );
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The error for a request that got no answer: refused, reset, timed out, or a certificate not trusted. */
export function unreachableError(
  request: { method: string; url: string },
  code: string | null,
  attempts: number,
  cause: string,
): MlflowError {
  const details = { url: request.url, method: request.method, status: null, networkCode: code, attempts };
  if (code && TLS_CODES.has(code))
    return new MlflowError(
      'MLFLOW_TLS',
      `cannot verify the TLS certificate of MLflow at ${request.url} (${code}): set MLFLOW_TRACKING_SERVER_CERT_PATH to the server's CA bundle, or MLFLOW_TRACKING_INSECURE_TLS=true to skip the check`,
      null,
      null,
      details,
    );
  return new MlflowError(
    'MLFLOW_UNREACHABLE',
    `cannot reach MLflow at ${request.url} (${code ?? cause}${attempts > 1 ? `, ${attempts} attempts` : ''}): is the server running and the tracking URI right? (--tracking-uri, the mlflow.trackingUri setting or MLFLOW_TRACKING_URI)`,
    null,
    null,
    details,
  );
}
