/** What a job's run function gets: its id, a cancellation signal, and ways to report progress and logs. */
export interface JobContext {
  id: string;
  signal: AbortSignal;
  /** fraction in 0..1 (clamped); message replaces the job's status line when given. */
  progress(fraction: number, message?: string): void;
  /** Throws the cancellation error when the job was asked to stop; call it between steps. */
  throwIfCancelled(): void;
  log(message: string): void;
}

export type JobRun = (ctx: JobContext) => Promise<unknown>;
