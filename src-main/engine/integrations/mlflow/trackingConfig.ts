import { readFileSync } from 'node:fs';
import { BullpenError, inputError } from '../../../shared/errors';

/** How requests authenticate: credentials come only from the environment and never leave this object except as a header. */
export type TrackingAuth = { kind: 'none' } | { kind: 'basic'; username: string; password: string } | { kind: 'bearer'; token: string };

/** Where MLflow is and how to talk to it. `trackingUri` never carries credentials, so it is safe to show. */
export interface TrackingConfig {
  /** http(s) URL without a trailing slash; a path prefix (a server behind a reverse proxy) is kept. */
  trackingUri: string;
  /** Where the URI came from, for messages: the op's input, the workspace settings or MLFLOW_TRACKING_URI. */
  source: 'input' | 'settings' | 'environment';
  auth: TrackingAuth;
  tls: { insecure: boolean; ca: string | null; caPath: string | null };
}

/** True for the strings MLflow's own client reads as true (MLFLOW_TRACKING_INSECURE_TLS=true). */
const truthy = (v: string | undefined): boolean => v !== undefined && ['1', 'true', 'yes', 'on'].includes(v.trim().toLowerCase());

/**
 * The MLflow connection for one export: the tracking URI from the op's input, else the settings, else
 * MLFLOW_TRACKING_URI; basic auth (MLFLOW_TRACKING_USERNAME/PASSWORD) wins over a bearer token
 * (MLFLOW_TRACKING_TOKEN), as in MLflow's client; TLS from MLFLOW_TRACKING_INSECURE_TLS and a CA bundle
 * (MLFLOW_TRACKING_SERVER_CERT_PATH). Refuses a URI that is not http(s) or that embeds credentials.
 */
export function resolveTrackingConfig(
  given: { input?: string | undefined; settings?: string | undefined },
  env: NodeJS.ProcessEnv = process.env,
): TrackingConfig {
  const picked =
    given.input !== undefined
      ? { uri: given.input, source: 'input' as const }
      : given.settings !== undefined
        ? { uri: given.settings, source: 'settings' as const }
        : env.MLFLOW_TRACKING_URI
          ? { uri: env.MLFLOW_TRACKING_URI, source: 'environment' as const }
          : null;
  if (!picked)
    throw new BullpenError(
      'usage',
      'MLFLOW_TRACKING_URI_MISSING',
      'no MLflow tracking URI: pass --tracking-uri URL, set it once with `bullpen settings set --mlflow \'{"trackingUri":"http://host:5000"}\'`, or set MLFLOW_TRACKING_URI',
    );
  let url: URL;
  try {
    url = new URL(picked.uri.trim());
  } catch {
    throw inputError('MLFLOW_TRACKING_URI_INVALID', `the MLflow tracking URI from ${picked.source} is not a URL`, {
      source: picked.source,
    });
  }
  if (url.username || url.password)
    // The URI is shown in messages and stored with the export record: credentials belong in the environment.
    throw inputError(
      'MLFLOW_TRACKING_URI_CREDENTIALS',
      `the MLflow tracking URI from ${picked.source} embeds credentials: remove them from the URL and set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD (or MLFLOW_TRACKING_TOKEN) instead`,
      { source: picked.source },
    );
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw inputError(
      'MLFLOW_TRACKING_URI_SCHEME',
      `the MLflow tracking URI ${url.protocol}//${url.host}${url.pathname} is not an http(s) tracking server: Bullpen exports through MLflow's REST API (start one with \`mlflow server\`)`,
      { source: picked.source, scheme: url.protocol },
    );
  url.search = '';
  url.hash = '';
  const trackingUri = url.toString().replace(/\/+$/, '');

  const username = env.MLFLOW_TRACKING_USERNAME;
  const password = env.MLFLOW_TRACKING_PASSWORD;
  const token = env.MLFLOW_TRACKING_TOKEN;
  const auth: TrackingAuth =
    // Both must be set, as in MLflow's own client; otherwise a token, otherwise nothing.
    username && password ? { kind: 'basic', username, password } : token ? { kind: 'bearer', token } : { kind: 'none' };

  const caPath = env.MLFLOW_TRACKING_SERVER_CERT_PATH || null;
  let ca: string | null = null;
  if (caPath) {
    try {
      ca = readFileSync(caPath, 'utf8');
    } catch (err) {
      throw inputError(
        'MLFLOW_CA_UNREADABLE',
        `cannot read the CA bundle MLFLOW_TRACKING_SERVER_CERT_PATH=${caPath}: ${(err as Error).message}`,
        {
          caPath,
        },
      );
    }
  }
  return { trackingUri, source: picked.source, auth, tls: { insecure: truthy(env.MLFLOW_TRACKING_INSECURE_TLS), ca, caPath } };
}

/** The Authorization header value, or null without credentials. */
export function authorizationHeader(auth: TrackingAuth): string | null {
  if (auth.kind === 'basic') return `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
  if (auth.kind === 'bearer') return `Bearer ${auth.token}`;
  return null;
}

/** Every string that would reveal a credential if it reached a message or a log: the secrets and their header forms. */
export function secretsOf(auth: TrackingAuth): string[] {
  const header = authorizationHeader(auth);
  const out: string[] = [];
  if (auth.kind === 'basic') out.push(auth.password, Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64'));
  if (auth.kind === 'bearer') out.push(auth.token);
  if (header) out.push(header);
  return out.filter((s) => s.length >= 4);
}

/** Replaces any credential in a text (a server's error body may echo a header) before it is shown or logged. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('***');
  return out;
}
