import type { DataService } from './data/dataService';
import type { FeatureService } from './features/featureService';
import type { JobService } from './jobs/jobService';
import type { ModelService } from './tracking/modelService';
import type { RunService } from './tracking/runService';
import type { WorkerPool } from './workers/workerPool';
import type { ValidationService } from './validation/validationService';
import type { SettingsStore } from './settings/settingsStore';
import type { RegistryService } from './registry/registryService';
import type { Workspace } from './workspace/workspace';
import type { SweepStorage } from './sweeps/sweepStorage';
import type { DeploymentService, MonitoringService } from './operations/operationsTypes';
import type { ReplayMonitoring } from './operations/replay/runReplay';
import type { DuckDbRetraining } from './operations/retraining/retrainStore';
import type { DuckDbExperiments } from './operations/experiments/duckDbExperiments';

/**
 * What the engine's stages work with: the workspace (matrices and prechecks read games through it), the
 * compute pool, and the services. A stage asks another stage's service, never its tables. The Engine is
 * one EngineDeps; a test or a sweep worker can assemble another.
 */
export interface EngineDeps {
  workspace: Workspace;
  pool: WorkerPool;
  runs: RunService;
  models: ModelService;
  features: FeatureService;
  data: DataService;
  jobs: JobService;
  validations: ValidationService;
  settings: SettingsStore;
  registry: RegistryService;
  sweeps: SweepStorage;
  deployments: DeploymentService;
  /** Checks and alerts; a replay also prepares references and records unscored games through it. */
  monitoring: MonitoringService & ReplayMonitoring;
  /** The retraining history (the pipeline and its triggers are in operations/retraining). */
  retraining: DuckDbRetraining;
  /** A/B experiments on deployments (routing runs inside `deployments`' scoring path). */
  experiments: DuckDbExperiments;
}
