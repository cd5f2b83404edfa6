import { isMlflowError } from './mlflowErrors';
import type { MlflowHttp } from './mlflowHttp';
import {
  createExperimentResponse,
  emptyResponse,
  experimentResponse,
  listArtifactsResponse,
  loggedModelResponse,
  modelVersionResponse,
  registeredModelResponse,
  runResponse,
  searchLoggedModelsResponse,
  searchModelVersionsResponse,
  searchRunsResponse,
  type MlflowExperiment,
  type MlflowLoggedModel,
  type MlflowModelVersion,
  type MlflowRegisteredModel,
  type MlflowRun,
} from './mlflowSchemas';
import type { LogBatch } from './logBatches';

const API = '/api/2.0/mlflow';
const ARTIFACTS = '/api/2.0/mlflow-artifacts/artifacts';
/** Runs per `runs/search` page: a sweep's trials in one request up to this many (MLflow allows 50,000). */
const SEARCH_PAGE = 1000;

export type KeyValue = { key: string; value: string };

/** A value inside a single-quoted MLflow search filter. */
export const filterString = (s: string): string => `'${s.replaceAll("'", "\\'")}'`;

/** Runs a lookup whose "not there" answer is RESOURCE_DOES_NOT_EXIST, answering null for it. */
async function orNull<T>(lookup: Promise<T>): Promise<T | null> {
  try {
    return await lookup;
  } catch (err) {
    if (isMlflowError(err, 'RESOURCE_DOES_NOT_EXIST')) return null;
    throw err;
  }
}

/** A path inside the artifact proxy, each segment encoded. */
const artifactPath = (relative: string): string =>
  relative
    .split('/')
    .filter((s) => s !== '')
    .map(encodeURIComponent)
    .join('/');

/**
 * The MLflow REST endpoints the exporter uses, typed: each answer parsed by its schema, lookups answering
 * null for "does not exist", creates looking the object up before any retry so nothing is made twice.
 */
export class MlflowApi {
  constructor(readonly http: MlflowHttp) {}

  // Experiments

  experimentByName(name: string): Promise<MlflowExperiment | null> {
    return orNull(
      this.http
        .json({ method: 'GET', path: `${API}/experiments/get-by-name`, query: { experiment_name: name }, schema: experimentResponse })
        .then((r) => r.experiment),
    );
  }

  /** Creates an experiment; one that exists already (a lost answer, a concurrent export) is found instead. */
  async createExperiment(name: string, tags: KeyValue[]): Promise<string> {
    const lookup = async (): Promise<{ experiment_id: string } | null> => {
      const e = await this.experimentByName(name);
      return e ? { experiment_id: e.experiment_id } : null;
    };
    try {
      const r = await this.http.json({
        method: 'POST',
        path: `${API}/experiments/create`,
        body: { name, tags },
        schema: createExperimentResponse,
        lookupBeforeRetry: lookup,
      });
      return r.experiment_id;
    } catch (err) {
      if (!isMlflowError(err, 'RESOURCE_ALREADY_EXISTS')) throw err;
      const e = await lookup();
      if (!e) throw err;
      return e.experiment_id;
    }
  }

  // Runs

  getRun(runId: string): Promise<MlflowRun> {
    return this.http.json({ method: 'GET', path: `${API}/runs/get`, query: { run_id: runId }, schema: runResponse }).then((r) => r.run);
  }

  /** Active runs of an experiment whose tag `key` equals `value`, oldest first. */
  async runsByTag(experimentId: string, key: string, value: string): Promise<MlflowRun[]> {
    const r = await this.http.json({
      method: 'POST',
      path: `${API}/runs/search`,
      body: {
        experiment_ids: [experimentId],
        filter: `tags.\`${key}\` = ${filterString(value)}`,
        run_view_type: 'ACTIVE_ONLY',
        max_results: 100,
        order_by: ['attributes.start_time ASC'],
      },
      schema: searchRunsResponse,
    });
    return r.runs;
  }

  /** Every active run of an experiment matching an MLflow search `filter`, oldest first, page after page. */
  async searchAllRuns(experimentId: string, filter: string): Promise<MlflowRun[]> {
    const runs: MlflowRun[] = [];
    let pageToken: string | undefined;
    do {
      const r = await this.http.json({
        method: 'POST',
        path: `${API}/runs/search`,
        body: {
          experiment_ids: [experimentId],
          filter,
          run_view_type: 'ACTIVE_ONLY',
          max_results: SEARCH_PAGE,
          order_by: ['attributes.start_time ASC'],
          ...(pageToken ? { page_token: pageToken } : {}),
        },
        schema: searchRunsResponse,
      });
      runs.push(...r.runs);
      pageToken = r.next_page_token || undefined;
    } while (pageToken);
    return runs;
  }

  async createRun(
    body: { experiment_id: string; user_id: string; run_name: string; start_time: number; tags: KeyValue[] },
    lookup: () => Promise<MlflowRun | null>,
  ): Promise<MlflowRun> {
    const r = await this.http.json({
      method: 'POST',
      path: `${API}/runs/create`,
      body,
      schema: runResponse,
      lookupBeforeRetry: async () => {
        const run = await lookup();
        return run ? { run } : null;
      },
    });
    return r.run;
  }

  async logBatch(runId: string, batch: LogBatch): Promise<void> {
    await this.http.json({ method: 'POST', path: `${API}/runs/log-batch`, body: { run_id: runId, ...batch }, schema: emptyResponse });
  }

  async setRunTag(runId: string, key: string, value: string): Promise<void> {
    await this.http.json({ method: 'POST', path: `${API}/runs/set-tag`, body: { run_id: runId, key, value }, schema: emptyResponse });
  }

  async updateRun(runId: string, status: 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED', endTime: number | null): Promise<void> {
    await this.http.json({
      method: 'POST',
      path: `${API}/runs/update`,
      body: { run_id: runId, status, ...(endTime !== null ? { end_time: endTime } : {}) },
      schema: emptyResponse,
    });
  }

  async logInputs(runId: string, datasets: unknown[]): Promise<void> {
    await this.http.json({ method: 'POST', path: `${API}/runs/log-inputs`, body: { run_id: runId, datasets }, schema: emptyResponse });
  }

  /** MLflow 2: records a model logged under the run's artifacts (the run's `mlflow.log-model.history` tag). */
  async logModel(runId: string, modelJson: string): Promise<void> {
    await this.http.json({
      method: 'POST',
      path: `${API}/runs/log-model`,
      body: { run_id: runId, model_json: modelJson },
      schema: emptyResponse,
    });
  }

  // MLflow 3 logged models

  async loggedModelsOfRun(experimentId: string, runId: string): Promise<MlflowLoggedModel[]> {
    const r = await this.http.json({
      method: 'POST',
      path: `${API}/logged-models/search`,
      body: { experiment_ids: [experimentId], filter: `source_run_id = ${filterString(runId)}`, max_results: 100 },
      schema: searchLoggedModelsResponse,
    });
    return r.models;
  }

  getLoggedModel(modelId: string): Promise<MlflowLoggedModel | null> {
    return orNull(
      this.http
        .json({ method: 'GET', path: `${API}/logged-models/${encodeURIComponent(modelId)}`, schema: loggedModelResponse })
        .then((r) => r.model),
    );
  }

  async createLoggedModel(
    body: { experiment_id: string; name: string; model_type: string; source_run_id: string; tags: KeyValue[]; params: KeyValue[] },
    lookup: () => Promise<MlflowLoggedModel | null>,
  ): Promise<MlflowLoggedModel> {
    const r = await this.http.json({
      method: 'POST',
      path: `${API}/logged-models`,
      body,
      schema: loggedModelResponse,
      lookupBeforeRetry: async () => {
        const model = await lookup();
        return model ? { model } : null;
      },
    });
    return r.model;
  }

  async finalizeLoggedModel(modelId: string, status: 'LOGGED_MODEL_READY' | 'LOGGED_MODEL_UPLOAD_FAILED'): Promise<void> {
    await this.http.json({
      method: 'PATCH',
      path: `${API}/logged-models/${encodeURIComponent(modelId)}`,
      body: { model_id: modelId, status },
      schema: emptyResponse,
    });
  }

  /** Links a logged model to the run as its output (what MLflow 3's UI shows on the run's page). */
  async logOutputs(runId: string, modelId: string, step = 0): Promise<void> {
    await this.http.json({
      method: 'POST',
      path: `${API}/runs/outputs`,
      body: { run_id: runId, models: [{ model_id: modelId, step }] },
      schema: emptyResponse,
    });
  }

  // Model registry

  registeredModel(name: string): Promise<MlflowRegisteredModel | null> {
    return orNull(
      this.http
        .json({ method: 'GET', path: `${API}/registered-models/get`, query: { name }, schema: registeredModelResponse })
        .then((r) => r.registered_model),
    );
  }

  async createRegisteredModel(name: string, tags: KeyValue[], description: string): Promise<MlflowRegisteredModel> {
    const lookup = () => this.registeredModel(name);
    try {
      const r = await this.http.json({
        method: 'POST',
        path: `${API}/registered-models/create`,
        body: { name, tags, description },
        schema: registeredModelResponse,
        lookupBeforeRetry: async () => {
          const m = await lookup();
          return m ? { registered_model: m } : null;
        },
      });
      return r.registered_model;
    } catch (err) {
      if (!isMlflowError(err, 'RESOURCE_ALREADY_EXISTS')) throw err;
      const m = await lookup();
      if (!m) throw err;
      return m;
    }
  }

  async modelVersionsOfRun(name: string, runId: string): Promise<MlflowModelVersion[]> {
    const r = await this.http.json({
      method: 'GET',
      path: `${API}/model-versions/search`,
      query: { filter: `name = ${filterString(name)} AND run_id = ${filterString(runId)}` },
      schema: searchModelVersionsResponse,
    });
    return r.model_versions;
  }

  getModelVersion(name: string, version: string): Promise<MlflowModelVersion | null> {
    return orNull(
      this.http
        .json({ method: 'GET', path: `${API}/model-versions/get`, query: { name, version }, schema: modelVersionResponse })
        .then((r) => r.model_version),
    );
  }

  async createModelVersion(
    body: { name: string; source: string; run_id: string; tags: KeyValue[]; description: string; model_id?: string },
    lookup: () => Promise<MlflowModelVersion | null>,
  ): Promise<MlflowModelVersion> {
    const r = await this.http.json({
      method: 'POST',
      path: `${API}/model-versions/create`,
      body,
      schema: modelVersionResponse,
      lookupBeforeRetry: async () => {
        const v = await lookup();
        return v ? { model_version: v } : null;
      },
    });
    return r.model_version;
  }

  async setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void> {
    await this.http.json({
      method: 'POST',
      path: `${API}/model-versions/set-tag`,
      body: { name, version, key, value },
      schema: emptyResponse,
    });
  }

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    await this.http.json({ method: 'POST', path: `${API}/registered-models/alias`, body: { name, alias, version }, schema: emptyResponse });
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    try {
      // Servers read a DELETE's fields from the query string or the JSON body depending on the version: send both.
      await this.http.json({
        method: 'DELETE',
        path: `${API}/registered-models/alias`,
        query: { name, alias },
        body: { name, alias },
        schema: emptyResponse,
      });
    } catch (err) {
      // Already gone: the state wanted.
      if (!isMlflowError(err, 'RESOURCE_DOES_NOT_EXIST')) throw err;
    }
  }

  // Artifacts (the mlflow-artifacts proxy)

  /** Files directly under a proxied artifact directory (relative to the proxy root), with their sizes; [] when it does not exist. */
  async listArtifacts(relativeDir: string): Promise<{ path: string; isDir: boolean; size: number | null }[]> {
    const r = await this.http.json({ method: 'GET', path: ARTIFACTS, query: { path: relativeDir }, schema: listArtifactsResponse });
    return r.files.map((f) => ({ path: f.path, isDir: f.is_dir, size: f.file_size ?? null }));
  }

  async putArtifact(relativePath: string, bytes: Uint8Array, contentType: string): Promise<void> {
    await this.http.put(`${ARTIFACTS}/${artifactPath(relativePath)}`, bytes, contentType);
  }
}
