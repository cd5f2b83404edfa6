import { contract, type Contract, type InputOf, type OutputOf } from '../../../../src-main/api/contract';
import type { Job } from '../../../../src-main/shared/events';
import { DomainService, endedKinds, type ServiceDeps } from '../domainService.svelte';
import { describeError, type ShownError } from '../errorHint';
import type { Query } from '../query.svelte';
import { isActive } from '../jobs/jobsStore.svelte';
import { generatedSweepName } from './sweepName';

export type SweepListItem = OutputOf<Contract['ml.sweeps.list']>[number];
export type SweepSummary = OutputOf<Contract['ml.sweeps.show']>;
export type SweepTrial = OutputOf<Contract['ml.sweeps.trials']>['trials'][number];
export type BestTrial = SweepSummary['paretoFront'][number];
export type SweepRequest = InputOf<Contract['ml.optimize']>;
export type JournalExport = OutputOf<Contract['ml.sweeps.export']>;

/**
 * What the sweep form starts from: the contract's own defaults (TPE, log loss, median pruner, 5-fold
 * walk-forward). A function, not a module constant: nothing may parse with zod before main.ts has made
 * it jitless, or the CSP reports zod's eval probe.
 */
export const sweepDefaults = () => contract['ml.optimize'].input.parse({});

/** How many sweeps the screen lists. */
const LIST_LIMIT = 100;

/** The outcome of the editor's Check: the parameters the engine read, or why it refused the text. */
export type SpaceCheck = { ok: true; text: string; params: string[] } | { ok: false; text: string; error: ShownError };

/**
 * The previous answer when the new one says the same: the live view reads every second, and an
 * unchanged answer must not redraw every chart and table row.
 */
function same<T>(previous: T | null, next: T): T {
  return previous !== null && JSON.stringify(previous) === JSON.stringify(next) ? previous : next;
}

/**
 * What can change in a sweep's trials: a trial's state, attempt, values, duration, and its intermediate
 * values (only ever appended). Compared instead of the whole text, which runs to megabytes for a long sweep.
 */
const trialsKey = (trials: readonly SweepTrial[]): string =>
  trials
    .map((t) => `${t.number}:${t.state}:${t.attempt}:${t.intermediate.length}:${t.values?.join(',') ?? ''}:${t.durationMs ?? ''}`)
    .join('|');

/**
 * Hyperparameter sweeps: the list, the one shown (summary and trials, read again every second while it
 * runs), starting and resuming one (a job), the search-space editor's check, training the best trial
 * (an ml.train job, validated automatically) and the Optuna journal export.
 */
export class SweepService extends DomainService {
  readonly sweeps: Query<SweepListItem[]> = this.query('list the sweeps', async () =>
    same(this.sweeps.current, await this.client.call('ml.sweeps.list', { limit: LIST_LIMIT })),
  );

  /** The id of the sweep shown. */
  #ref = $state<string | null>(null);
  /**
   * The name of a sweep this window just started and that the list does not show yet: the job creates
   * the sweep once it runs, so until then it is looked for in the list (a read by name would be refused).
   */
  #starting = $state<string | null>(null);
  /** The sweep this window resumed: live from the click, before its record says it runs again. */
  #resumed = $state<string | null>(null);

  readonly summary = this.query(
    () => `open sweep ${this.#ref ?? ''}`,
    async (): Promise<SweepSummary | null> => {
      const ref = this.#ref;
      return ref ? same(this.summary.current, await this.client.call('ml.sweeps.show', { id: ref })) : null;
    },
  );
  readonly trials = this.query(
    () => `read the trials of sweep ${this.#ref ?? ''}`,
    async (): Promise<SweepTrial[]> => {
      const ref = this.#ref;
      if (!ref) return [];
      const { trials } = await this.client.call('ml.sweeps.trials', { id: ref });
      const shown = this.trials.current;
      return shown && trialsKey(shown) === trialsKey(trials) ? shown : trials;
    },
  );

  /** The default search space as YAML, for the editor (the engine writes it, so it is what a sweep without a space uses). */
  readonly defaultSpace = this.query('read the default search space', () => this.client.call('ml.sweeps.space', {}));
  spaceCheck = $state<SpaceCheck | null>(null);
  spaceChecking = $state(false);

  /** The sweep this window started or resumed: shown once it completes. */
  readonly optimizing = this.launch('ml.optimize', (result) => {
    this.#starting = null;
    this.select(result.sweepId);
  });
  /** Training the best trial (an ml.train job; the policy's autoValidate validates it). */
  readonly training = this.launch('ml.sweeps.train');

  exporting = $state(false);
  exportError = $state<ShownError | null>(null);
  exported = $state<JournalExport | null>(null);

  constructor(deps: ServiceDeps) {
    super(deps);
    // However a sweep ends (completed, cancelled, failed), from this window or the CLI, its row and summary change.
    this.refreshAfter(endedKinds('ml.optimize'), this.sweeps, this.summary, this.trials);
    // A sweep this window started that ended before the list showed it (it failed early): shown if it exists.
    deps.jobs.onEnded((job) => {
      if (job.kind === 'ml.optimize' && this.#starting !== null) void this.sweeps.refresh().then(() => this.#foundStarting());
    });
  }

  get list(): SweepListItem[] {
    return this.sweeps.current ?? [];
  }

  /** The id of the sweep shown. */
  get selected(): string | null {
    return this.#ref;
  }

  /** The name of the sweep this window started and is waiting to see in the list. */
  get starting(): string | null {
    return this.#starting;
  }

  /** The sweep's job as this window knows it (progress, message, Cancel): the stored one, or the one this window is starting. */
  get job(): Job | null {
    const launched = this.optimizing.job;
    if (launched && isActive(launched) && this.#resumed !== null && this.#resumed === this.#ref) return launched;
    const jobId = this.summary.current?.jobId;
    const stored = jobId ? this.deps.jobs.get(jobId) : null;
    if (stored) return stored;
    return this.#starting !== null ? this.optimizing.job : null;
  }

  /** The shown sweep is running (or being started by this window): the screen reads it again every second. */
  get live(): boolean {
    if (this.#starting !== null) return this.optimizing.busy;
    if (this.#resumed !== null && this.#resumed === this.#ref && this.optimizing.busy) return true;
    const summary = this.summary.current;
    if (summary?.status !== 'running') return false;
    // A sweep marked running whose job has ended is read once more by refreshAfter, not polled.
    const job = this.job;
    return job === null || isActive(job);
  }

  async open(): Promise<void> {
    await Promise.all([this.sweeps.refresh(), this.defaultSpace.refresh(), this.deps.jobs.refresh().catch(() => undefined)]);
    if (!this.#ref && this.list[0]) this.select(this.list[0].sweepId);
    else if (this.#ref) await Promise.all([this.summary.refresh(), this.trials.refresh()]);
  }

  select(ref: string): void {
    this.#starting = null;
    if (ref !== this.#ref) {
      this.summary.clear();
      this.trials.clear();
      this.exported = null;
      this.exportError = null;
    }
    this.#ref = ref;
    void this.summary.refresh();
    void this.trials.refresh();
  }

  /**
   * One tick of the live view: the summary, the trials and the list, each skipped while its last read
   * is still under way (a slow engine is not piled up with reads), and the sweep's job if this window
   * has not seen it (a sweep started by the CLI or another window). A sweep being started is looked for
   * in the list until it shows.
   */
  poll(): void {
    if (!this.sweeps.loading) void this.sweeps.refresh().then(() => this.#foundStarting());
    if (this.#starting !== null) return;
    if (!this.summary.loading) void this.summary.refresh();
    if (!this.trials.loading) void this.trials.refresh();
    const jobId = this.summary.current?.jobId;
    if (jobId && !this.deps.jobs.get(jobId)) {
      this.client.call('jobs.get', { id: jobId }).then(
        (job) => this.deps.jobs.upsert(job),
        // Gone from the engine's job table (an older run): the sweep's own status still tells.
        () => undefined,
      );
    }
  }

  /** Shows the sweep being started once the list has it. */
  #foundStarting(): void {
    const row = this.#starting === null ? undefined : this.list.find((s) => s.name === this.#starting);
    if (!row) return;
    this.#starting = null;
    this.select(row.sweepId);
  }

  /** Starts a sweep and shows it as soon as it exists (by its name, generated when the form left it empty). */
  async start(request: SweepRequest): Promise<void> {
    this.#resumed = null;
    const name = request.name?.trim() || generatedSweepName(Date.now());
    // Set before the call: a short sweep can complete (and be shown by id) before the call answers.
    this.#starting = name;
    const job = await this.optimizing.start('start the sweep', () => this.client.call('ml.optimize', { ...request, name }));
    if (this.#starting !== name) return;
    if (!job) {
      this.#starting = null;
      return;
    }
    this.#ref = null;
    this.summary.clear();
    this.trials.clear();
    void this.sweeps.refresh().then(() => this.#foundStarting());
  }

  /** Continues an interrupted or cancelled sweep: finished trials are kept, interrupted ones run again. */
  async resume(sweepId: string): Promise<void> {
    this.#resumed = sweepId;
    const job = await this.optimizing.start('resume the sweep', () => this.client.call('ml.optimize', { resume: sweepId }));
    if (job) this.select(sweepId);
    else this.#resumed = null;
  }

  /** Asks the engine to read a search space; the answer (or the refusal) goes beside the editor. */
  async checkSpace(text: string): Promise<boolean> {
    this.spaceChecking = true;
    try {
      const answer = await this.client.call('ml.sweeps.space', { text });
      this.spaceCheck = { ok: true, text, params: answer.space.params.map((p) => p.name) };
      return true;
    } catch (err) {
      this.spaceCheck = { ok: false, text, error: describeError(err, 'use this search space') };
      return false;
    } finally {
      this.spaceChecking = false;
    }
  }

  dismissSpaceCheck(): void {
    this.spaceCheck = null;
  }

  /** Trains the final model with the best trial's parameters (or a Pareto-front trial's). */
  train(sweepId: string, name: string, trial: number | null): void {
    void this.training.start('train the best trial', () =>
      this.client.call('ml.sweeps.train', {
        id: sweepId,
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(trial !== null ? { trial } : {}),
      }),
    );
  }

  /** Writes the sweep as an Optuna JournalStorage file where the engine runs (see the screen's note on where). */
  async exportJournal(sweepId: string, out: string): Promise<void> {
    this.exporting = true;
    this.exported = null;
    try {
      this.exported = await this.client.call('ml.sweeps.export', { id: sweepId, format: 'optuna-journal', out: out.trim() });
      this.exportError = null;
    } catch (err) {
      this.exportError = describeError(err, 'export the Optuna journal');
    } finally {
      this.exporting = false;
    }
  }

  dismissExportError(): void {
    this.exportError = null;
  }
}
