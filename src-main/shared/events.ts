import { z } from 'zod';
import { errorKinds } from './errors';

export const jobStates = ['queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted'] as const;
export const jobStateSchema = z.enum(jobStates);
export type JobState = z.infer<typeof jobStateSchema>;

export const jobSchema = z.object({
  id: z.string(),
  kind: z.string(),
  state: jobStateSchema,
  /** 0..1 */
  progress: z.number(),
  message: z.string(),
  params: z.record(z.string(), z.unknown()),
  result: z.unknown().nullable(),
  error: z.string().nullable(),
  /** For a failed job, the kind and code of its error, so every client reports it as the same failure. */
  errorKind: z.enum(errorKinds).optional(),
  errorCode: z.string().optional(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type Job = z.infer<typeof jobSchema>;

/** Everything the engine pushes to its clients; the same union travels over IPC and WebSocket. */
export const engineEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('job'), job: jobSchema }),
  z.object({
    type: z.literal('log'),
    level: z.enum(['debug', 'info', 'warn', 'error']),
    message: z.string(),
    at: z.string(),
    /** The job that logged it, so a client following one job (the CLI) can show that job's lines. */
    jobId: z.string().optional(),
  }),
  z.object({
    type: z.literal('engine'),
    status: z.enum(['starting', 'ready', 'restarted', 'crashed']),
    message: z.string(),
    at: z.string(),
  }),
  /** A monitoring alert opened or resolved, for the desktop shell to show as an OS notification (the engine's process has no notification API). */
  z.object({
    type: z.literal('notification'),
    alertId: z.string(),
    deploymentId: z.string(),
    title: z.string(),
    body: z.string(),
    urgency: z.enum(['normal', 'critical']),
  }),
]);
export type EngineEvent = z.infer<typeof engineEventSchema>;
