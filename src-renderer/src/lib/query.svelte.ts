import { describeError, type ShownError } from './errorHint';

/**
 * One read from the engine that a domain service owns: the last answer, whether a read is under way,
 * and what went wrong. The last answer stays on screen while the next one loads, so a screen opened
 * again shows what it showed before at once (the cache) and then the fresh answer.
 */
export class Query<T> {
  current = $state<T | null>(null);
  loading = $state(false);
  error = $state<ShownError | null>(null);
  /** Settled at least once (answered or failed): screens say "not available" instead of "loading". */
  settled = $state(false);
  /** Bumped per read: an answer that arrives after a newer read started is dropped. */
  #generation = 0;
  /** Read at least once: only such queries are read again after job events or an engine restart. */
  #used = false;

  constructor(
    /** What the read does, as in "Could not <during>". */
    private readonly during: string | (() => string),
    private readonly read: () => Promise<T>,
  ) {}

  /** True once an answer is here and no newer read is pending: what `data-loaded` in the e2e tests waits for. */
  get ready(): boolean {
    return !this.loading && this.current !== null;
  }

  /** The last read has settled, with an answer or an error: the screen shows what the engine said. */
  get answered(): boolean {
    return this.settled && !this.loading;
  }

  /** Reads again; resolves when this read has settled (its answer or its error is recorded). */
  async refresh(): Promise<void> {
    this.#used = true;
    const generation = ++this.#generation;
    this.loading = true;
    try {
      const answer = await this.read();
      if (generation !== this.#generation) return;
      this.current = answer;
      this.error = null;
    } catch (err) {
      if (generation !== this.#generation) return;
      this.error = describeError(err, typeof this.during === 'function' ? this.during() : this.during);
    } finally {
      if (generation === this.#generation) {
        this.loading = false;
        this.settled = true;
      }
    }
  }

  /** Reads again only if some screen has read it before: background events must not load screens nobody opened. */
  refreshIfUsed(): void {
    if (this.#used) void this.refresh();
  }

  /** Forgets the answer (e.g. a closed detail panel) and drops any read still under way. */
  clear(): void {
    this.#generation++;
    this.current = null;
    this.error = null;
    this.loading = false;
    this.settled = false;
  }

  dismiss(): void {
    this.error = null;
  }
}
