import type { BullpenClient } from '../../../src-main/api/client';
import type { Contract, JobOpName, ResultOf } from '../../../src-main/api/contract';
import type { Job } from '../../../src-main/shared/events';
import type { ShownError } from './errorHint';
import type { EngineStatus } from './engineStatus.svelte';
import { JobLaunch } from './jobs/jobLaunch.svelte';
import type { JobsStore } from './jobs/jobsStore.svelte';
import { Query } from './query.svelte';

/** What every domain service is built from: the typed client and the live state fed by engine events. */
export interface ServiceDeps {
  client: BullpenClient;
  jobs: JobsStore;
  engine: EngineStatus;
}

/** Anything in a service that can fail and be dismissed. */
interface Failure {
  readonly error: ShownError | null;
  dismiss(): void;
}

/**
 * The base of a renderer domain service (one per domain: workspace, data, features, runs, models,
 * evaluation), after GitButler's frontend services: the service owns its engine calls, their cached
 * answers and their errors, and reads again what a finished job or an engine restart changed. Screens
 * only read its state and call its methods.
 */
export abstract class DomainService {
  readonly #failures: Failure[] = [];
  readonly #queries: { refreshIfUsed(): void }[] = [];

  constructor(protected readonly deps: ServiceDeps) {
    deps.engine.onRestarted(() => {
      for (const q of this.#queries) q.refreshIfUsed();
    });
  }

  protected get client(): BullpenClient {
    return this.deps.client;
  }

  /** A read this service owns; its error becomes the service's. */
  protected query<T>(during: string | (() => string), read: () => Promise<T>): Query<T> {
    const q = new Query(during, read);
    this.#queries.push(q);
    this.#failures.push(q);
    return q;
  }

  /** Reads the recent jobs into the shared jobs store, for screens that list jobs. */
  protected recentJobs(): Query<true> {
    return this.query('list the jobs', async (): Promise<true> => {
      await this.deps.jobs.refresh();
      return true;
    });
  }

  /** A job this service starts and follows; a refused start is shown beside its form (LaunchStatus), not here. */
  protected launch<K extends JobOpName>(op: K, onCompleted?: (result: ResultOf<Contract[K]>) => void): JobLaunch<K> {
    return new JobLaunch(this.deps.jobs, op, onCompleted);
  }

  /**
   * Reads these queries again whenever a job that `matches` ends, whoever started it (this window,
   * another, the CLI); a query no screen has read yet stays unread.
   */
  protected refreshAfter(matches: (job: Job) => boolean, ...queries: Query<unknown>[]): void {
    this.deps.jobs.onEnded((job) => {
      if (matches(job)) for (const q of queries) q.refreshIfUsed();
    });
  }

  /** The first read of this domain that failed, for the screen's error banner. */
  get error(): ShownError | null {
    for (const f of this.#failures) if (f.error) return f.error;
    return null;
  }

  dismissError(): void {
    for (const f of this.#failures) f.dismiss();
  }
}

/** Jobs of these kinds that completed: what most reloads wait for. */
export const completedKinds =
  (...kinds: string[]) =>
  (job: Job): boolean =>
    job.state === 'completed' && kinds.includes(job.kind);

/** Jobs of these kinds, however they ended (a failed or cancelled run changes state too). */
export const endedKinds =
  (...kinds: string[]) =>
  (job: Job): boolean =>
    kinds.includes(job.kind);
