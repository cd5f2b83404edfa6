import type { EngineEvent, Job } from '../shared/events';
import type { JobKind } from '../shared/results';
import type { DataService } from './data/dataService';
import { DuckDbData } from './data/duckDbData';
import { uploadRoot } from './data/uploadStore';
import type { EngineDeps } from './engineDeps';
import { DuckDbFeatures } from './features/duckDbFeatures';
import type { FeatureService } from './features/featureService';
import { PathPolicy } from './files/pathPolicy';
import { useOwnerOnlyUmask } from './files/privateFiles';
import { JobManager } from './jobs/jobManager';
import type { JobService } from './jobs/jobService';
import { startJob, type JobSpec } from './jobs/jobSpec';
import type { ModelService } from './tracking/modelService';
import { DuckDbModelStore } from './tracking/modelStore';
import type { RunService } from './tracking/runService';
import { DuckDbRunStore } from './tracking/runStore';
import { WorkerPool, type WorkerPoolOptions } from './workers/workerPool';
import { Workspace } from './workspace/workspace';
import { RunValidations } from './validation/runValidations';
import { SettingsStore } from './settings/settingsStore';
import type { ValidationService } from './validation/validationService';
import { DuckDbRegistry } from './registry/duckDbRegistry';
import { mirrorRegistryInMlflow } from './integrations/mlflow/registryMirror';
import type { RegistryService } from './registry/registryService';
import { DuckDbSweeps } from './sweeps/duckDbSweeps';
import type { SweepStorage } from './sweeps/sweepStorage';
import { DuckDbDeployments } from './operations/deployments/duckDbDeployments';
import { DuckDbMonitoring } from './operations/monitoring/duckDbMonitoring';
import { DuckDbRetraining } from './operations/retraining/retrainStore';
import { DuckDbExperiments } from './operations/experiments/duckDbExperiments';
import { attachAlertNotifiers, type AlertNotifiers } from './operations/alerts/alertNotifiers';
import { Scheduler } from './operations/scheduler/scheduler';
import { DuckDbScheduleStore } from './operations/scheduler/scheduleStore';
import { checkJobKey, deploymentCheckJob, scheduleDeploymentChecks, type CheckServices } from './operations/scheduler/deploymentChecks';
import { afterMonitoringCheck } from './operations/retraining/afterCheck';
import { liveClock } from './operations/clock';
import type { Deployment } from '../shared/results/operations';

export interface EngineOptions {
  workspacePath: string;
  /** How many times the supervising process restarted this engine (shown on the Workspace screen). */
  restarts?: number;
  pool?: WorkerPoolOptions;
  /** Folders remote callers may write into besides the export folder (`bullpen serve --allow-write`). */
  allowWrite?: readonly string[];
  /**
   * Run deployments' monitoring checks on their cron schedules (and catch up missed ones). Only a
   * long-lived engine does (serve mode, the desktop app's engine process): a CLI command's engine lives
   * for one op.
   */
  scheduler?: boolean;
}

export interface EngineInfo {
  pid: number;
  startedAt: string;
  restarts: number;
}

type Listener = (event: EngineEvent) => void;

/** Sends an event to every listener; a throwing listener cannot break the others. */
function broadcast(listeners: ReadonlySet<Listener>, event: EngineEvent): void {
  for (const cb of [...listeners]) {
    try {
      cb(event);
    } catch (err) {
      process.emitWarning(`engine event listener failed: ${(err as Error).message}`);
    }
  }
}

/**
 * The Electron-free engine: the workspace, the compute pool and the services every transport calls
 * (runs, models, features, data, jobs), plus an event stream that every transport (IPC, WebSocket, CLI)
 * forwards. One engine per workspace file per process. The services are interfaces; the engine wires
 * the workspace's DuckDB implementations.
 */
export class Engine implements EngineDeps {
  readonly info: EngineInfo;
  /** Which files each caller may read and write (every path-taking op asks it). */
  readonly files: PathPolicy;
  readonly jobs: JobService;
  readonly runs: RunService;
  readonly models: ModelService;
  readonly features: FeatureService;
  readonly data: DataService;
  /** Validations of models, the project's policy, and whether a model may be promoted. */
  readonly validations: ValidationService;
  /** Who the user is and where MLflow is (credentials stay in the environment). */
  readonly settings: SettingsStore;
  /** Registered model versions, their stages and approvals, and the audit trail; promotion asks `validations`. */
  readonly registry: RegistryService;
  /** Hyperparameter sweeps and their trials. */
  readonly sweeps: SweepStorage;
  /** Deployments and their append-only prediction log. */
  readonly deployments: DuckDbDeployments;
  /** Monitoring checks and alerts of deployments. */
  readonly monitoring: DuckDbMonitoring;
  /** The retraining history of deployments. */
  readonly retraining: DuckDbRetraining;
  /** A/B experiments on deployments: routing and shadow scoring inside the deployments' scoring path, analyses, decisions. */
  readonly experiments: DuckDbExperiments;
  /** The live checks' scheduler, in a long-lived engine only (EngineOptions.scheduler). */
  private scheduler: Scheduler | null = null;
  private readonly notifiers: AlertNotifiers;
  private closing: Promise<void> | null = null;
  /** Retraining work started after live checks, which close() lets finish. */
  private readonly afterChecks = new Set<Promise<void>>();

  private constructor(
    readonly workspace: Workspace,
    readonly pool: WorkerPool,
    private readonly jobManager: JobManager,
    private readonly listeners: Set<Listener>,
    restarts: number,
    allowWrite: readonly string[],
  ) {
    this.info = { pid: process.pid, startedAt: new Date().toISOString(), restarts };
    this.files = new PathPolicy({ workspacePath: workspace.path, uploadRoot: uploadRoot(), allowWrite });
    this.jobs = jobManager;
    this.runs = new DuckDbRunStore(workspace, () => jobManager.liveIds());
    this.models = new DuckDbModelStore(workspace, this.runs);
    this.features = new DuckDbFeatures(workspace);
    this.data = new DuckDbData(workspace, jobManager);
    this.validations = new RunValidations(workspace, this.runs, this.models);
    this.settings = new SettingsStore(workspace);
    this.registry = new DuckDbRegistry(workspace, this.models, this.validations);
    this.sweeps = new DuckDbSweeps(workspace);
    this.experiments = new DuckDbExperiments({
      workspace,
      pool,
      models: this.models,
      registry: this.registry,
      deployments: () => this.deployments,
      publishAlerts: (events) => this.monitoring.publish(events),
    });
    this.deployments = new DuckDbDeployments({
      workspace,
      pool,
      models: this.models,
      registry: this.registry,
      experiments: this.experiments,
    });
    this.monitoring = new DuckDbMonitoring(this, this.deployments);
    this.retraining = new DuckDbRetraining(workspace, () => jobManager.liveIds());
    this.notifiers = attachAlertNotifiers(this.monitoring, workspace, {
      desktop: (notice) => this.emit({ type: 'notification', ...notice }),
      log: (level, message) => this.emit({ type: 'log', level, message, at: new Date().toISOString() }),
    });
    mirrorRegistryInMlflow(this);
  }

  static async open(options: EngineOptions): Promise<Engine> {
    useOwnerOnlyUmask();
    const workspace = await Workspace.open(options.workspacePath);
    let pool: WorkerPool;
    try {
      pool = new WorkerPool(options.pool);
    } catch (err) {
      workspace.close();
      throw err;
    }
    const listeners = new Set<Listener>();
    let jobs: JobManager;
    try {
      jobs = await JobManager.open(workspace, (e) => broadcast(listeners, e));
    } catch (err) {
      await pool.close();
      workspace.close();
      throw err;
    }
    const engine = new Engine(workspace, pool, jobs, listeners, options.restarts ?? 0, options.allowWrite ?? []);
    if (options.scheduler) await engine.startScheduler();
    return engine;
  }

  /** Arms every active live deployment's checks and catches up the runs missed while no engine ran. */
  private async startScheduler(): Promise<void> {
    const scheduler = new Scheduler({
      store: new DuckDbScheduleStore(this.workspace),
      clock: liveClock,
      onRun: (r) => {
        if (r.outcome === 'failed')
          this.emit({
            type: 'log',
            level: 'warn',
            message: `scheduled check ${r.key} failed: ${r.error ?? ''}`,
            at: new Date().toISOString(),
          });
      },
    });
    this.scheduler = scheduler;
    const services = this.checkServices();
    await scheduleDeploymentChecks(scheduler, services, { replayId: null, clock: liveClock });
    // The catch-up runs in the background: an engine is ready before a missed check has finished.
    void scheduler.start().catch((err: unknown) =>
      this.emit({
        type: 'log',
        level: 'warn',
        message: `scheduler catch-up failed: ${(err as Error).message}`,
        at: new Date().toISOString(),
      }),
    );
  }

  /** What a scheduled check uses: after each check, retraining's probation and triggers run in the background. */
  private checkServices(): CheckServices & { deployments: DuckDbDeployments } {
    return { deployments: this.deployments, monitoring: this.monitoring, afterCheck: (d) => void this.afterCheck(d) };
  }

  /**
   * Retraining's probation and triggers after a live check (scheduled or `deploy check`). A failure is logged,
   * never thrown: the check it follows has been recorded already. close() waits for the ones under way.
   */
  afterCheck(deployment: Deployment): Promise<void> {
    if (!deployment.policy.retraining.enabled || this.closing) return Promise.resolve();
    const run = afterMonitoringCheck(this, deployment, { replayId: null, clock: liveClock })
      .then(() => undefined)
      .catch((err: unknown) =>
        this.emit({
          type: 'log',
          level: 'warn',
          message: `retraining after the check of deployment ${deployment.name} failed: ${err instanceof Error ? err.message : String(err)}`,
          at: new Date().toISOString(),
        }),
      )
      .finally(() => this.afterChecks.delete(run));
    this.afterChecks.add(run);
    return run;
  }

  /** A deployment started or stopped: its live check is (un)scheduled in a long-lived engine. */
  deploymentChanged(deployment: Deployment): void {
    const scheduler = this.scheduler;
    if (!scheduler || deployment.replayId !== null) return;
    if (deployment.status === 'active') {
      const services = this.checkServices();
      // register answers once a catch-up (if one is due) has run: the caller does not wait for a check.
      void scheduler.register(deploymentCheckJob(deployment, services, { replayId: null, clock: liveClock }));
    } else scheduler.unregister(checkJobKey(deployment.id));
  }

  /** Starts a job the way every job starts: its precheck first (a refusal starts nothing), then the work. */
  startJob<I extends object, K extends JobKind>(spec: JobSpec<EngineDeps, I, K>, input: I): Promise<Job> {
    return startJob(this.jobs, this, spec, input);
  }

  /** Broadcasts an event to every subscriber; a throwing subscriber cannot break the others. */
  emit(event: EngineEvent): void {
    broadcast(this.listeners, event);
  }

  onEvent(cb: Listener): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /** Stops running jobs (they read `interrupted`), shuts the pool down and closes the workspace. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.scheduler?.stop();
      await Promise.all([...this.afterChecks]);
      await this.jobManager.close();
      await this.notifiers.idle();
      this.notifiers.detach();
      await this.pool.close();
      this.workspace.close();
      this.listeners.clear();
    })();
    return this.closing;
  }
}
