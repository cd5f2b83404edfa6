import type { Sampler } from '../../../src-workers/compute/sweep/sampler';
import type { SweepConfig } from '../../shared/results/sweep';
import type { TrialParams } from '../../shared/sweep/distributions';
import { objectiveDirection, type FrozenTrial } from '../../shared/sweep/trials';

/**
 * Decides which trial runs next and with what parameters, so that a trial's parameters depend only on
 * (seed, trial number, the trials finished before it in number order): trial n may be asked once every
 * trial below n − lag has finished, and it sees exactly those as history and trials n − lag … n − 1 as
 * pending (constant liar), whatever else happens to have finished. One worker or several, fast or slow,
 * the same seed gives the same trials (up to --max-trial-seconds, which depends on the clock).
 */
export class TrialScheduler {
  private readonly finished = new Map<number, FrozenTrial>();
  private readonly params = new Map<number, TrialParams>();
  private readonly running = new Set<number>();
  /** Trials the sampler declined (a covered grid): the sweep ends before them. */
  private limit: number;

  constructor(
    private readonly config: SweepConfig,
    private readonly sampler: Sampler,
    /** Trials kept from an earlier run of the sweep: finished ones count, others are re-run with their parameters. */
    kept: readonly { trial: FrozenTrial; finished: boolean }[],
  ) {
    this.limit = config.trials;
    for (const { trial, finished } of kept) {
      this.params.set(trial.number, trial.params);
      if (finished) this.finished.set(trial.number, trial);
    }
  }

  get total(): number {
    return this.limit;
  }

  finishedTrials(): FrozenTrial[] {
    return [...this.finished.values()].sort((a, b) => a.number - b.number);
  }

  isDone(): boolean {
    return this.finished.size >= this.limit && this.running.size === 0;
  }

  /** The lowest trial number not finished and not running, if it may be asked now. */
  next(): number | null {
    for (let n = 0; n < this.limit; n++) {
      if (this.finished.has(n) || this.running.has(n)) continue;
      for (let m = 0; m < n - this.config.lag; m++) if (!this.finished.has(m)) return null;
      return n;
    }
    return null;
  }

  /** The finished trials trial n learns from (and its pruner compares with). */
  historyFor(n: number): FrozenTrial[] {
    const out: FrozenTrial[] = [];
    for (let m = 0; m < n - this.config.lag; m++) {
      const t = this.finished.get(m);
      if (t) out.push(t);
    }
    return out;
  }

  /** Parameters for trial n (sampled, or kept from its interrupted run); null ends the sweep at n (nothing left to sample). */
  ask(n: number): TrialParams | null {
    const kept = this.params.get(n);
    if (kept) {
      this.running.add(n);
      return kept;
    }
    const pending: { number: number; params: TrialParams }[] = [];
    for (let m = Math.max(0, n - this.config.lag); m < n; m++) {
      const p = this.params.get(m);
      if (p) pending.push({ number: m, params: p });
    }
    const params = this.sampler.sample({
      space: this.config.space,
      directions: this.config.objectives.map((o) => objectiveDirection[o]),
      history: this.historyFor(n),
      pending,
      trialNumber: n,
      seed: this.config.seed,
    });
    if (params === null) {
      this.limit = Math.min(this.limit, n);
      return null;
    }
    // An enqueued trial keeps its given values; the sampler only fills what it leaves out.
    Object.assign(params, this.config.enqueued[n] ?? {});
    this.params.set(n, params);
    this.running.add(n);
    return params;
  }

  finish(trial: FrozenTrial): void {
    this.running.delete(trial.number);
    this.finished.set(trial.number, trial);
  }

  /** A trial that did not finish (the sweep stopped): it keeps its parameters for a resume. */
  abandon(n: number): void {
    this.running.delete(n);
  }

  /** Stops asking new trials (--timeout): the sweep ends once running trials finish. */
  stopAsking(): void {
    let last = -1;
    for (const n of [...this.finished.keys(), ...this.running]) last = Math.max(last, n);
    this.limit = Math.min(this.limit, last + 1);
  }
}
