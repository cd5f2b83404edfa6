import WebSocket from 'ws';
import { contract, jobSchema, type Contract, type InputOf, type Job, type OpName, type OutputOf } from '../../../src-main/api/contract';
import type { ServeHandle } from './serve';

/**
 * Calls an op on a running `bullpen serve` the way the page does (bearer token), from the test process.
 * The answer is parsed by the op's output schema, so a test reads it typed and a wrong shape fails here.
 */
export async function apiCall<K extends OpName>(serve: ServeHandle, op: K, input: InputOf<Contract[K]>): Promise<OutputOf<Contract[K]>> {
  const res = await fetch(`${serve.origin}/api/ops/${op}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${serve.token}` },
    body: JSON.stringify(input),
  });
  const body: unknown = await res.json();
  if (!res.ok) throw new Error(`${op} answered ${res.status}: ${JSON.stringify(body)}`);
  // Parsed by contract[op].output, so it has that schema's output type; the lookup by name hides it from TypeScript.
  return contract[op].output.parse(body) as OutputOf<Contract[K]>;
}

const FINAL = new Set(['completed', 'failed', 'cancelled', 'interrupted']);

/** Starts a job op and resolves with the job in its final state, watched over the event WebSocket. */
export async function runJobOverApi<K extends OpName>(serve: ServeHandle, op: K, input: InputOf<Contract[K]>): Promise<Job> {
  const socket = new WebSocket(`${serve.origin.replace(/^http/, 'ws')}/api/events?token=${encodeURIComponent(serve.token)}`);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  try {
    const finals = new Map<string, Job>();
    let wanted: string | null = null;
    let settle: ((job: Job) => void) | null = null;
    socket.on('message', (data: WebSocket.RawData) => {
      const event = JSON.parse(String(data)) as { type: string; job?: Job };
      if (event.type !== 'job' || !event.job || !FINAL.has(event.job.state)) return;
      finals.set(event.job.id, event.job);
      if (event.job.id === wanted) settle?.(event.job);
    });
    const started = jobSchema.parse(await apiCall(serve, op, input));
    wanted = started.id;
    const seen = finals.get(started.id);
    if (seen) return seen;
    return await new Promise<Job>((resolve) => {
      settle = resolve;
      // The job may have ended between the call's answer and now: ask once.
      void apiCall(serve, 'jobs.get', { id: started.id }).then((j) => FINAL.has(j.state) && resolve(j));
    });
  } finally {
    socket.close();
  }
}
