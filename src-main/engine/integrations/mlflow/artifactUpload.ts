import { MlflowError } from './mlflowErrors';
import type { MlflowApi } from './mlflowApi';
import type { ModelFile } from './lightgbmModelFiles';

const PROXY_SCHEME = 'mlflow-artifacts:';

/**
 * The path inside the server's artifact proxy for an artifact URI such as
 * `mlflow-artifacts:/1/<run>/artifacts` (or `mlflow-artifacts://host:port/…`). Any other scheme (s3://,
 * a local path) means the server does not proxy artifacts, and Bullpen, which uploads only through the
 * tracking server, says so rather than write somewhere the team cannot read.
 */
export function proxiedArtifactPath(artifactUri: string, trackingUri: string, what: string): string {
  if (!artifactUri.startsWith(PROXY_SCHEME))
    throw new MlflowError(
      'MLFLOW_ARTIFACTS_NOT_PROXIED',
      `MLflow at ${trackingUri} stores the ${what}'s artifacts at ${artifactUri}, which Bullpen cannot upload to: it uploads through the tracking server's artifact proxy only. Start the server with proxied artifacts (\`mlflow server --artifacts-destination DIR_OR_URI\`, without --no-serve-artifacts or a --default-artifact-root), or choose an experiment created on such a server (--experiment NAME)`,
      null,
      null,
      { trackingUri, artifactUri },
    );
  const rest = artifactUri.slice(PROXY_SCHEME.length);
  // mlflow-artifacts://host:port/path names a server; mlflow-artifacts:/path is the tracking server itself.
  const path = rest.startsWith('//') ? rest.slice(2).replace(/^[^/]*/, '') : rest;
  return path.replace(/^\/+/, '').replace(/\/+$/, '');
}

const bytesOf = (content: string): Uint8Array => Buffer.from(content, 'utf8');

/**
 * Uploads files into a proxied artifact directory, one PUT per file, in order. With `resume`, files
 * already there at the same size are not sent again, and a directory with an MLmodel marker is only
 * rewritten when something else changed: MLmodel goes last, so its presence means the rest arrived.
 */
export async function uploadFiles(
  api: MlflowApi,
  dir: string,
  files: readonly ModelFile[],
  options: { resume: boolean; beforeFile?: (path: string, index: number, total: number) => void },
): Promise<{ uploaded: string[]; skipped: string[] }> {
  const ordered = [...files.filter((f) => f.path !== 'MLmodel'), ...files.filter((f) => f.path === 'MLmodel')];
  const existing = new Map<string, number | null>();
  if (options.resume) {
    const dirs = [...new Set(ordered.map((f) => f.path.split('/').slice(0, -1).join('/')))];
    for (const sub of dirs) {
      for (const entry of await api.listArtifacts(sub ? `${dir}/${sub}` : dir))
        if (!entry.isDir) existing.set(sub ? `${sub}/${entry.path}` : entry.path, entry.size);
    }
  }
  const uploaded: string[] = [];
  const skipped: string[] = [];
  for (const [i, f] of ordered.entries()) {
    const bytes = bytesOf(f.content);
    const unchanged = existing.get(f.path) === bytes.byteLength && (f.path !== 'MLmodel' || uploaded.length === 0);
    if (unchanged) {
      skipped.push(f.path);
      continue;
    }
    options.beforeFile?.(f.path, i, ordered.length);
    await api.putArtifact(`${dir}/${f.path}`, bytes, f.contentType);
    uploaded.push(f.path);
  }
  return { uploaded, skipped };
}
