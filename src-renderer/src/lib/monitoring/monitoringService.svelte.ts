import { tryJobResult, type Contract, type InputOf, type OutputOf } from '../../../../src-main/api/contract';
import type { EngineEvent, Job } from '../../../../src-main/shared/events';
import type { Alert, Deployment, LoggedPrediction, MonitorCheck, ReplayResult } from '../../../../src-main/shared/results/operations';
import type { RetrainRecord } from '../../../../src-main/shared/results/retraining';
import { retrainingPolicySchema, type RetrainingPolicy } from '../../../../src-main/shared/operations/opsPolicy';
import { isActive } from '../jobs/jobsStore.svelte';
import { completedKinds, DomainService, endedKinds, type ServiceDeps } from '../domainService.svelte';
import { describeError, type ShownError } from '../errorHint';

export type DeploymentShown = OutputOf<Contract['deploy.show']>;
export type ReplayRequest = InputOf<Contract['deploy.replay']>;
export type ScoreResult = OutputOf<Contract['deploy.predict']>;
/** An alert opened or resolved by a check (the scheduler's, another window's), as the engine announces it. */
export type AlertNotice = Extract<EngineEvent, { type: 'notification' }>;

/** A deployment with what its row in the list shows: the last check and the firing alerts. */
export interface DeploymentRow {
  deployment: Deployment;
  lastCheck: MonitorCheck | null;
  firing: number;
  predictions: number;
}

/** A replay as this window knows it: its job (progress, cancel) and, once completed, its result. */
export interface ReplayRow {
  job: Job;
  model: string;
  season: number;
  from: string | null;
  to: string | null;
  result: ReplayResult | null;
}

/**
 * What the detail shows: a live deployment, or a replay's (its rows carry the replay's id, read with
 * `--replay ID`; the replay's deployment is named `replay-SEASON` by the engine).
 */
export type MonitorView = { kind: 'live'; name: string } | { kind: 'replay'; name: string; replayId: string; jobId: string };

/** Checks read for the drift heatmap and timelines: a replayed season has one a day (about 180). */
const CHECKS_LIMIT = 1000;
const ALERTS_LIMIT = 500;
/** Enough of the log for a 30-day window's prediction distribution (about 450 games) several times over. */
const PREDICTIONS_LIMIT = 3000;
/** Retrainings the history table shows (a replayed season with weekly retraining has about 26). */
const HISTORY_LIMIT = 200;
/** Recent retrain jobs looked through for one still running. */
const RETRAIN_JOBS_SEEN = 50;
/** How many replay jobs the screen lists. */
const REPLAYS_SHOWN = 20;
/** How many alert notices are kept until dismissed (one check can open an alert per feature). */
const NOTICES_KEPT = 100;

/** The deployment a replay of `season` writes its rows under (engine/operations/replay/runReplay.ts). */
export const replayDeploymentName = (season: number): string => `replay-${season}`;

function replayRow(job: Job): ReplayRow {
  const p = job.params;
  let result: ReplayResult | null;
  try {
    result = tryJobResult(job, 'deploy.replay');
  } catch {
    // A result that does not read is shown as missing; the job's own row carries its state and error.
    result = null;
  }
  return {
    job,
    model: typeof p.model === 'string' ? p.model : '?',
    season: typeof p.season === 'number' ? p.season : (result?.season ?? 0),
    from: typeof p.from === 'string' ? p.from : null,
    to: typeof p.to === 'string' ? p.to : null,
    result,
  };
}

/**
 * Deployments and their monitoring (the deploy.* ops): the list with each one's last check, the detail of
 * one deployment or replay (its checks, alerts and prediction log, the inputs of every chart), the
 * changes (deploy, score, check, stop, acknowledge) and replays, which are jobs. A refused change keeps
 * the screen as it was and says why beside the actions.
 */
export class MonitoringService extends DomainService {
  readonly deployments = this.query('list the deployments', async (): Promise<DeploymentRow[]> => {
    const all = await this.client.call('deploy.list', { all: true });
    return Promise.all(
      all.map(async (deployment) => {
        const shown = await this.client.call('deploy.show', { name: deployment.name });
        return { deployment, lastCheck: shown.lastCheck, firing: shown.firing.length, predictions: shown.predictions };
      }),
    );
  });

  #view = $state<MonitorView | null>(null);

  /** A live deployment's record and counts (a replay's deployment is read through its checks and the job's result). */
  readonly shown = this.query(
    () => `open deployment ${this.#view?.name ?? ''}`,
    async (): Promise<DeploymentShown | null> => {
      const view = this.#view;
      return view?.kind === 'live' ? this.client.call('deploy.show', { name: view.name }) : null;
    },
  );
  readonly checks = this.query(
    () => `read the monitoring checks of ${this.#view?.name ?? ''}`,
    async (): Promise<MonitorCheck[]> => {
      const view = this.#view;
      return view ? this.client.call('deploy.checks', { name: view.name, limit: CHECKS_LIMIT, ...this.#scope(view) }) : [];
    },
  );
  readonly alerts = this.query(
    () => `read the alerts of ${this.#view?.name ?? ''}`,
    async (): Promise<Alert[]> => {
      const view = this.#view;
      return view ? this.client.call('deploy.alerts', { name: view.name, limit: ALERTS_LIMIT, ...this.#scope(view) }) : [];
    },
  );
  readonly predictions = this.query(
    () => `read the prediction log of ${this.#view?.name ?? ''}`,
    async (): Promise<LoggedPrediction[]> => {
      const view = this.#view;
      return view ? this.client.call('deploy.predictions', { name: view.name, limit: PREDICTIONS_LIMIT, ...this.#scope(view) }) : [];
    },
  );
  /** The deployment's retrainings, newest first (a replay's: those it ran on its replayed days). */
  readonly history = this.query(
    () => `read the retraining history of ${this.#view?.name ?? ''}`,
    async (): Promise<RetrainRecord[]> => {
      const view = this.#view;
      return view
        ? (await this.client.call('deploy.history', { name: view.name, limit: HISTORY_LIMIT, ...this.#scope(view) })).retrains
        : [];
    },
  );
  /** Who acknowledgements are recorded as (settings, else BULLPEN_USER, else the OS user). */
  readonly actor = this.query('read who you are', async () => (await this.client.call('settings.get', {})).actor);
  /** The recent jobs, for the replays (a replay started by the CLI shows too). */
  readonly jobList = this.recentJobs();

  /** The change under way (its label), so buttons wait; null when idle. */
  busy = $state<string | null>(null);
  /** Why the last change was refused, shown beside the actions; cleared by the next change. */
  changeError = $state<ShownError | null>(null);
  /** The last scoring's answer (games scored and not scored), shown beside the form. */
  scored = $state<ScoreResult | null>(null);
  /** Alerts announced while this window was open, newest first, until dismissed. */
  notices = $state<AlertNotice[]>([]);

  /** The replay this window started: shown once it completes. */
  readonly replaying = this.launch('deploy.replay', (result) => {
    const job = this.replaying.job;
    if (job) this.openReplay(job.id, result);
  });
  /** The retraining this window started last (Retrain now). */
  readonly retraining = this.launch('deploy.retrain');

  constructor(deps: ServiceDeps) {
    super(deps);
    // A replay however it ended (its alerts, checks and log are all under its id); a demo build brings new seasons.
    this.refreshAfter(endedKinds('deploy.replay'), this.checks, this.alerts, this.predictions, this.history);
    // A retraining however it ended (its row records the end); a promotion changes the version served.
    this.refreshAfter(endedKinds('deploy.retrain'), this.history, this.shown, this.deployments);
    this.refreshAfter(completedKinds('demo.build'), this.deployments);
  }

  #scope(view: MonitorView): { replay?: string } {
    return view.kind === 'replay' ? { replay: view.replayId } : {};
  }

  get list(): DeploymentRow[] {
    return this.deployments.current ?? [];
  }

  get view(): MonitorView | null {
    return this.#view;
  }

  /** Replay jobs, newest first, with their inputs and (once completed) results. */
  get replays(): ReplayRow[] {
    return this.deps.jobs.ofKind('deploy.replay', REPLAYS_SHOWN).map(replayRow);
  }

  /** The replay shown, when the view is one. */
  get replay(): ReplayRow | null {
    const view = this.#view;
    if (view?.kind !== 'replay') return null;
    const job = this.deps.jobs.get(view.jobId);
    return job ? replayRow(job) : null;
  }

  /**
   * The retraining section of the policy of what the detail shows: a live deployment's, or the one a
   * replay was started with (the engine keeps the parsed policy in the replay job's parameters).
   */
  get retrainingPolicy(): RetrainingPolicy | null {
    const view = this.#view;
    if (view?.kind === 'live') return this.shown.current?.deployment.policy.retraining ?? null;
    const policy = this.replay?.job.params.policy;
    if (view?.kind !== 'replay' || typeof policy !== 'object' || policy === null) return null;
    const parsed = retrainingPolicySchema.safeParse((policy as { retraining?: unknown }).retraining);
    return parsed.success ? parsed.data : null;
  }

  /** Every read of the detail has its answer (what `data-loaded` waits for besides the list). */
  get detailReady(): boolean {
    if (!this.#view) return true;
    const reads = [this.checks, this.alerts, this.predictions, this.history, ...(this.#view.kind === 'live' ? [this.shown] : [])];
    return reads.every((q) => q.answered);
  }

  async open(): Promise<void> {
    await Promise.all([this.deployments.refresh(), this.actor.refresh(), this.jobList.refresh()]);
    if (!this.#view) {
      const live = this.list.find((r) => r.deployment.status === 'active') ?? this.list[0];
      const replay = this.replays.find((r) => r.result !== null);
      if (live) this.openDeployment(live.deployment.name);
      else if (replay?.result) this.openReplay(replay.job.id, replay.result);
    } else await this.#readDetail();
  }

  #readDetail(): Promise<unknown> {
    return Promise.all([
      this.shown.refresh(),
      this.checks.refresh(),
      this.alerts.refresh(),
      this.predictions.refresh(),
      this.history.refresh(),
    ]);
  }

  #show(view: MonitorView): void {
    const same = JSON.stringify(view) === JSON.stringify(this.#view);
    if (!same) {
      for (const q of [this.shown, this.checks, this.alerts, this.predictions, this.history]) q.clear();
      this.changeError = null;
      this.scored = null;
    }
    this.#view = view;
    void this.#readDetail();
  }

  /** Shows a live deployment by name (typed or picked); an unknown name is answered by the engine's refusal. */
  openDeployment(name: string): void {
    this.#show({ kind: 'live', name: name.trim() });
  }

  openReplay(jobId: string, result: ReplayResult): void {
    this.#show({ kind: 'replay', name: replayDeploymentName(result.season), replayId: result.replayId, jobId });
  }

  /** Runs a change; on success reads again what it changed, on refusal keeps the engine's reason. */
  async #change<T>(label: string, call: () => Promise<T>, after: () => Promise<unknown>): Promise<T | null> {
    this.busy = label;
    this.changeError = null;
    try {
      const answer = await call();
      await after();
      return answer;
    } catch (err) {
      this.changeError = describeError(err, label);
      return null;
    } finally {
      this.busy = null;
    }
  }

  /** Deploys a registry version (NAME for its production version, NAME:VERSION for that one) and shows it. */
  async deploy(model: string, name: string, policyText: string): Promise<boolean> {
    const deployed = await this.#change(
      `deploy ${model}`,
      () =>
        this.client.call('deploy.start', {
          model,
          ...(name.trim() ? { name: name.trim() } : {}),
          ...(policyText.trim() ? { policyText } : {}),
        }),
      () => this.deployments.refresh(),
    );
    if (deployed) this.openDeployment(deployed.name);
    return deployed !== null;
  }

  /** Scores a date's games (or the upcoming ones) with the deployment shown, appending them to its log. */
  async score(name: string, games: { date: string } | { upcoming: true }): Promise<void> {
    const answer = await this.#change(
      `score games with ${name}`,
      () => this.client.call('deploy.predict', { name, via: 'ui', ...games }),
      () => Promise.all([this.shown.refresh(), this.predictions.refresh(), this.deployments.refresh()]),
    );
    if (answer) this.scored = answer;
  }

  /** Runs the deployment's monitoring check now (the scheduler runs it on the policy's cron). */
  async checkNow(name: string): Promise<void> {
    await this.#change(
      `run the check of ${name}`,
      () => this.client.call('deploy.check', { name }),
      () => Promise.all([this.#readDetail(), this.deployments.refresh()]),
    );
  }

  async stop(name: string): Promise<void> {
    await this.#change(
      `stop ${name}`,
      () => this.client.call('deploy.stop', { name }),
      () => Promise.all([this.shown.refresh(), this.deployments.refresh()]),
    );
  }

  /** Acknowledges an alert as the configured user; the answer replaces the alert's row. */
  async acknowledge(alertId: string): Promise<void> {
    const acked = await this.#change(
      'acknowledge the alert',
      () => this.client.call('deploy.alerts.ack', { id: alertId }),
      () => Promise.resolve(),
    );
    if (acked && this.alerts.current) this.alerts.current = this.alerts.current.map((a) => (a.id === acked.id ? acked : a));
    if (acked) void this.shown.refresh();
  }

  /** Replays a past season day by day (a job): the replay is shown once it completes. */
  replaySeason(request: ReplayRequest): void {
    void this.replaying.start('start the replay', () => this.client.call('deploy.replay', request));
  }

  /**
   * A retraining of the deployment still queued or running, whoever started it (this window, the CLI, or a
   * trigger after a check): the engine's job carries the deployment's name.
   */
  activeRetrain(name: string): Job | null {
    return this.deps.jobs.ofKind('deploy.retrain', RETRAIN_JOBS_SEEN).find((j) => isActive(j) && j.params.deployment === name) ?? null;
  }

  /** Retrains the deployment now (a job: refresh, challenger, comparison, decision); the history is read again when it ends. */
  retrain(name: string): void {
    void this.retraining.start(`retrain ${name}`, () => this.client.call('deploy.retrain', { name }));
  }

  /**
   * A check somewhere opened or resolved an alert (live checks run on the engine's schedule): kept for the
   * screen to show, and what it changed read again if the screen has read it.
   */
  notify(notice: AlertNotice): void {
    this.notices = [notice, ...this.notices.filter((n) => n.alertId !== notice.alertId)].slice(0, NOTICES_KEPT);
    for (const q of [this.deployments, this.shown, this.checks, this.alerts]) q.refreshIfUsed();
  }

  dismissNotice(alertId: string): void {
    this.notices = this.notices.filter((n) => n.alertId !== alertId);
  }

  dismissNotices(): void {
    this.notices = [];
  }

  dismissChangeError(): void {
    this.changeError = null;
  }
}
