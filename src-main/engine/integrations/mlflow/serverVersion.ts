import { isEndpointMissing, isMlflowError } from './mlflowErrors';
import type { MlflowHttp } from './mlflowHttp';
import { emptyResponse } from './mlflowSchemas';

export interface ServerVersion {
  /** As the server reports it (`3.18.0`), or null when only the probe answered. */
  version: string | null;
  major: number;
  detectedBy: 'version-endpoint' | 'probe';
}

const VERSION_TEXT = /^\s*(\d+)\.(\d+)(?:\.\d+)?\S*\s*$/;

/**
 * Which MLflow the server is: `GET /version` (plain text), else — behind a proxy that hides it — a probe
 * of an MLflow 3 endpoint (logged models), which an MLflow 2 server answers with 404 ENDPOINT_NOT_FOUND.
 * Authentication failures are not guessed around: they are the answer.
 */
export async function detectServerVersion(http: MlflowHttp): Promise<ServerVersion> {
  try {
    const text = await http.text('/version');
    const m = VERSION_TEXT.exec(text);
    if (m) return { version: text.trim(), major: Number(m[1]), detectedBy: 'version-endpoint' };
  } catch (err) {
    if (!isMlflowError(err) || err.status !== 404) throw err;
  }
  try {
    await http.json({
      method: 'POST',
      path: '/api/2.0/mlflow/logged-models/search',
      body: { experiment_ids: ['0'], max_results: 1 },
      schema: emptyResponse,
    });
    return { version: null, major: 3, detectedBy: 'probe' };
  } catch (err) {
    if (isEndpointMissing(err)) return { version: null, major: 2, detectedBy: 'probe' };
    // The route exists (an MLflow 3 server refusing this experiment id, say): the logged-model flow is there.
    if (isMlflowError(err) && err.status !== null && err.status < 500 && err.status !== 401 && err.status !== 403)
      return { version: null, major: 3, detectedBy: 'probe' };
    throw err;
  }
}
