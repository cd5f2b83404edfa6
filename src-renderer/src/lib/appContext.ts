import type { BullpenClient } from '../../../src-main/api/client';
import type { ServiceDeps } from './domainService.svelte';
import { EngineStatus } from './engineStatus.svelte';
import { BacktestService } from './evaluation/backtestService.svelte';
import { CvService } from './evaluation/cvService.svelte';
import { DataService } from './data/dataService.svelte';
import { FeatureService } from './features/featureService.svelte';
import { JobsStore } from './jobs/jobsStore.svelte';
import { ModelService } from './models/modelService.svelte';
import { RunService } from './runs/runService.svelte';
import { ValidationService } from './validation/validationService.svelte';
import { RegistryService } from './registry/registryService.svelte';
import { SweepService } from './sweeps/sweepService.svelte';
import { MonitoringService } from './monitoring/monitoringService.svelte';
import { AbService } from './ab/abService.svelte';
import { WorkspaceService } from './workspace/workspaceService.svelte';

/**
 * What every screen gets: the live state fed by engine events (jobs, engine status) and one service per
 * domain. Screens and components reach the engine only through these services.
 */
export interface AppContext extends ServiceDeps {
  workspace: WorkspaceService;
  data: DataService;
  features: FeatureService;
  runs: RunService;
  models: ModelService;
  cv: CvService;
  backtests: BacktestService;
  validations: ValidationService;
  registry: RegistryService;
  sweeps: SweepService;
  monitoring: MonitoringService;
  ab: AbService;
}

/** Builds the services once per window; they live as long as it does and keep their answers between screens. */
export function createAppContext(client: BullpenClient): AppContext {
  const deps: ServiceDeps = { client, jobs: new JobsStore(client), engine: new EngineStatus() };
  return {
    ...deps,
    workspace: new WorkspaceService(deps),
    data: new DataService(deps),
    features: new FeatureService(deps),
    runs: new RunService(deps),
    models: new ModelService(deps),
    cv: new CvService(deps),
    backtests: new BacktestService(deps),
    validations: new ValidationService(deps),
    registry: new RegistryService(deps),
    sweeps: new SweepService(deps),
    monitoring: new MonitoringService(deps),
    ab: new AbService(deps),
  };
}

/** Props of every screen component in the registry. */
export interface ScreenProps {
  app: AppContext;
}
