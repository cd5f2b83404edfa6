/**
 * The sizing rule: pool size × threads per task never exceeds the cores, because compute tasks (LightGBM)
 * run their own OpenMP threads and oversubscribing cores slows every task down. At least one worker.
 */
export function poolSize(options: { cores: number; threadsPerTask: number; requested?: number }): number {
  const cores = Math.max(1, Math.floor(options.cores));
  const perTask = Math.max(1, Math.floor(options.threadsPerTask));
  const fit = Math.max(1, Math.floor(cores / perTask));
  return options.requested === undefined ? fit : Math.max(1, Math.min(fit, Math.floor(options.requested)));
}

/** Threads each task may use once the pool has `size` workers on `cores` cores. */
export function threadsPerTask(options: { cores: number; size: number }): number {
  return Math.max(1, Math.floor(Math.max(1, options.cores) / Math.max(1, options.size)));
}
