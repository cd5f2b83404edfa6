import { tryJobResult, type Contract, type InputOf, type OutputOf } from '../../../../src-main/api/contract';
import type { Job } from '../../../../src-main/shared/events';
import type { Experiment, ExperimentStatusResult, ReplayExperiment } from '../../../../src-main/shared/results/experiments';
import type { Deployment } from '../../../../src-main/shared/results/operations';
import { completedKinds, DomainService, type ServiceDeps } from '../domainService.svelte';
import { describeError, type ShownError } from '../errorHint';

export type AbStartRequest = InputOf<Contract['ab.start']>;
export type AbPromoteResult = OutputOf<Contract['ab.promote']>;
/** The three changes a person can make to an experiment; each is gated by `ab status`'s `actions`. */
export type AbAction = 'stop' | 'promote' | 'rollback';

/**
 * A replay that ran experiments (`deploy replay --challenger`): its experiments are read with `--replay ID`
 * and are evidence only (the engine refuses promoting them).
 */
export interface AbReplay {
  jobId: string;
  replayId: string;
  season: number;
  model: string;
  challenger: string;
  experiments: ReplayExperiment[];
}

/** Replay jobs looked through for ones with experiments. */
const REPLAY_JOBS_SEEN = 50;

function abReplay(job: Job): AbReplay | null {
  let result;
  try {
    result = tryJobResult(job, 'deploy.replay');
  } catch {
    // A result that does not read is left out; the Monitoring screen lists the job with its state.
    return null;
  }
  if (!result || result.experiments.length === 0) return null;
  const p = job.params;
  return {
    jobId: job.id,
    replayId: result.replayId,
    season: result.season,
    model: typeof p.model === 'string' ? p.model : '?',
    challenger: typeof p.challenger === 'string' ? p.challenger : (result.experiments[0]?.variants[1]?.name ?? '?'),
    experiments: result.experiments,
  };
}

/**
 * A/B experiments (the ab.* ops): the list (live, or one replay's), the status of the one shown (every
 * analysis, the boundary by day, SRM, breaker, ramp, and whether stop / promote / rollback are allowed),
 * starting one, and the three changes. A refused change keeps the screen as it was and says why beside
 * the actions; a refused start says why beside the form.
 */
export class AbService extends DomainService {
  /** null: live experiments; else the replay id whose experiments are shown. */
  #replay = $state<string | null>(null);
  #selected = $state<string | null>(null);

  readonly experiments = this.query(
    () => (this.#replay ? `list the experiments of replay ${this.#replay}` : 'list the A/B experiments'),
    (): Promise<Experiment[]> => this.client.call('ab.list', { all: true, ...this.#scope() }),
  );
  readonly status = this.query(
    () => `read experiment ${this.#selected ?? ''}`,
    async (): Promise<ExperimentStatusResult | null> => {
      const name = this.#selected;
      return name ? this.client.call('ab.status', { name, ...this.#scope() }) : null;
    },
  );
  /** Deployments an experiment can start on (active ones: a stopped one scores nothing). */
  readonly deployments = this.query('list the deployments', async (): Promise<Deployment[]> => this.client.call('deploy.list', {}));
  /** Trained models by name: a challenger may be one not yet registered. */
  readonly models = this.query('list the models', async () => (await this.client.call('ml.models.list', {})).models);
  readonly versions = this.query('list the registered models', async () => (await this.client.call('registry.list', {})).versions);
  /** The recent jobs, for the replays that ran experiments (one started by the CLI shows too). */
  readonly jobList = this.recentJobs();

  /** The change under way (its label), so buttons wait; null when idle. */
  busy = $state<string | null>(null);
  /** Why the last change (stop, promote, rollback) was refused; cleared by the next change. */
  changeError = $state<ShownError | null>(null);
  /** Why the last start was refused, shown beside the form. */
  startError = $state<ShownError | null>(null);
  /** The last promotion's answer (version, stage, whether the deployment serves it). */
  promoted = $state<AbPromoteResult | null>(null);

  constructor(deps: ServiceDeps) {
    super(deps);
    // A training or a registration brings new challengers; a deployment started elsewhere a new control.
    this.refreshAfter(completedKinds('ml.train'), this.models);
    this.refreshAfter(completedKinds('ml.train', 'ml.validate'), this.versions);
    this.refreshAfter(completedKinds('demo.build'), this.deployments, this.models, this.versions);
  }

  #scope(): { replay?: string } {
    return this.#replay ? { replay: this.#replay } : {};
  }

  get list(): Experiment[] {
    return this.experiments.current ?? [];
  }

  get selected(): string | null {
    return this.#selected;
  }

  /** The replay whose experiments are shown, or null for live ones. */
  get replay(): string | null {
    return this.#replay;
  }

  /** Completed replays that ran experiments, newest first. */
  get replays(): AbReplay[] {
    return this.deps.jobs
      .ofKind('deploy.replay', REPLAY_JOBS_SEEN)
      .map(abReplay)
      .filter((r): r is AbReplay => r !== null);
  }

  /** The experiment shown is running live: the screen reads its status again now and then (scoring adds games). */
  get live(): boolean {
    return this.#replay === null && this.status.current?.experiment.status === 'running';
  }

  /** Every read the screen shows has its answer (what `data-loaded` waits for). */
  get ready(): boolean {
    return (
      this.experiments.answered &&
      this.deployments.answered &&
      this.models.answered &&
      this.versions.answered &&
      this.jobList.answered &&
      (this.#selected === null || this.status.answered)
    );
  }

  async open(): Promise<void> {
    await Promise.all([
      this.experiments.refresh(),
      this.deployments.refresh(),
      this.models.refresh(),
      this.versions.refresh(),
      this.jobList.refresh(),
    ]);
    const known = this.#selected !== null && this.list.some((e) => e.name === this.#selected);
    if (!known) this.#pickFirst();
    else await this.status.refresh();
  }

  /** The first running experiment, else the newest: what a visit shows when nothing (or a gone one) was shown. */
  #pickFirst(): void {
    const first = this.list.find((e) => e.status === 'running') ?? this.list[0];
    if (first) this.select(first.name);
    else {
      this.#selected = null;
      this.status.clear();
    }
  }

  select(name: string): void {
    if (name !== this.#selected) {
      this.status.clear();
      this.changeError = null;
      this.promoted = null;
    }
    this.#selected = name;
    void this.status.refresh();
  }

  /** Shows live experiments (null) or a replay's; the first of them is opened. */
  async showReplay(replayId: string | null): Promise<void> {
    if (replayId === this.#replay) return;
    this.#replay = replayId;
    this.#selected = null;
    this.experiments.clear();
    this.status.clear();
    this.changeError = null;
    this.promoted = null;
    await this.experiments.refresh();
    this.#pickFirst();
  }

  /** One tick of the live view: the status and the list, each skipped while its last read is still under way. */
  poll(): void {
    if (!this.status.loading) void this.status.refresh();
    if (!this.experiments.loading) void this.experiments.refresh();
  }

  /** Starts an experiment; on success it is shown, on refusal the engine's reason stays beside the form. */
  async start(request: AbStartRequest): Promise<boolean> {
    this.busy = `start the experiment on ${request.deployment}`;
    this.startError = null;
    try {
      const started = await this.client.call('ab.start', request);
      if (this.#replay !== null) await this.showReplay(null);
      await this.experiments.refresh();
      this.select(started.name);
      return true;
    } catch (err) {
      this.startError = describeError(err, `start the experiment on ${request.deployment}`);
      return false;
    } finally {
      this.busy = null;
    }
  }

  /** Stops, promotes or rolls back the experiment shown; the status and list are read again either way. */
  async act(action: AbAction, name: string, reason: string): Promise<void> {
    const label = `${action} experiment ${name}`;
    const why = reason.trim() ? { reason: reason.trim() } : {};
    this.busy = label;
    this.changeError = null;
    this.promoted = null;
    try {
      if (action === 'promote') {
        this.promoted = await this.client.call('ab.promote', { name, ...why });
        void this.versions.refresh();
      } else await this.client.call(action === 'stop' ? 'ab.stop' : 'ab.rollback', { name, ...why });
    } catch (err) {
      this.changeError = describeError(err, label);
    } finally {
      await Promise.all([this.status.refresh(), this.experiments.refresh()]);
      this.busy = null;
    }
  }

  dismissChangeError(): void {
    this.changeError = null;
  }

  dismissStartError(): void {
    this.startError = null;
  }
}
