import { Counter, Histogram, type Registry } from 'prom-client';
import type { EngineEvent, JobState } from '../../../shared/events';

/** Job durations run from a fraction of a second (a demo) to hours (a sweep). */
const DURATION_BUCKETS_SECONDS = [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 14_400];
const FINAL_STATES: ReadonlySet<JobState> = new Set(['completed', 'failed', 'cancelled', 'interrupted']);

/**
 * Job counts and durations from the engine's job events: `bullpen_jobs_total{kind,state}` counts each job
 * once per state it enters (progress updates repeat a state and are not counted again), and
 * `bullpen_job_duration_seconds{kind,state}` observes started→finished once a job ends. Returns the
 * listener to subscribe with `engine.onEvent`.
 */
export function jobMetricsListener(registry: Registry): (event: EngineEvent) => void {
  const jobs = new Counter({
    name: 'bullpen_jobs_total',
    help: 'Jobs that entered each state since the engine started, by job kind.',
    labelNames: ['kind', 'state'],
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'bullpen_job_duration_seconds',
    help: 'Time from a job starting to it ending, by job kind and final state.',
    labelNames: ['kind', 'state'],
    buckets: DURATION_BUCKETS_SECONDS,
    registers: [registry],
  });
  /** The state each unfinished job was last seen in. */
  const lastState = new Map<string, JobState>();
  return (event) => {
    if (event.type !== 'job') return;
    const { id, kind, state, startedAt, finishedAt } = event.job;
    if (lastState.get(id) === state) return;
    jobs.inc({ kind, state });
    if (!FINAL_STATES.has(state)) {
      lastState.set(id, state);
      return;
    }
    lastState.delete(id);
    if (startedAt && finishedAt) {
      const seconds = (Date.parse(finishedAt) - Date.parse(startedAt)) / 1000;
      if (Number.isFinite(seconds) && seconds >= 0) durations.observe({ kind, state }, seconds);
    }
  };
}
