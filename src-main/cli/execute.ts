import { resolve } from 'node:path';
import WebSocket from 'ws';
import { httpTransport } from '../api/client';
import { contract } from '../api/contract';
import type { EventSocket } from '../api/client/httpTransport';
import type { Transport } from '../api/client/transport';
import { defaultWorkspacePath, openLocalEngine } from '../api/host/localTransport';
import { readLiveServerFile } from '../api/http/serverFile';
import { BullpenError, toBullpenError } from '../shared/errors';
import { jobSchema, type EngineEvent, type Job } from '../shared/events';
import type { GlobalFlags, Invocation } from './buildProgram';
import { formatHuman, formatJob, printError, type CliIO } from './output';
import { runServe } from './serveCommand';
import { jobFailure, waitForJob } from './waitForJob';

/** --workspace, then BULLPEN_WORKSPACE, then the user-data folder. */
export function workspacePathFor(flags: GlobalFlags): string {
  return flags.workspace ? resolve(flags.workspace) : defaultWorkspacePath();
}

interface Connection {
  transport: Transport;
  /** True when a `bullpen serve` runs the engine (it confirms event subscriptions with a hello). */
  remote: boolean;
  close(): Promise<void>;
}

/**
 * Where an op runs: through the `bullpen serve` already serving this workspace (it holds the DuckDB lock,
 * and detached jobs keep running there), otherwise in an engine in this process.
 */
async function connect(workspacePath: string): Promise<Connection> {
  const server = readLiveServerFile(workspacePath);
  if (server) {
    // The owner token makes this the local user's call (their own files), not the browser's (uploads only).
    const token = server.ownerToken ?? server.token;
    const transport = httpTransport({ baseUrl: server.origin, token, socket: (url) => new WebSocket(url) as unknown as EventSocket });
    const probe = await transport.call('jobs.list', { limit: 1 });
    if (probe.ok || probe.error.code !== 'SERVER_UNREACHABLE') return { transport, remote: true, close: async () => undefined };
  }
  return { ...(await openLocalEngine(workspacePath)), remote: false };
}

/** Starts a job op and follows it to its end through the engine's events. */
async function runJob(conn: Connection, inv: Extract<Invocation, { kind: 'op' }>, io: CliIO): Promise<Job> {
  // Listen before starting so no event of a quick job is missed; buffer until the waiter attaches.
  const buffered: EngineEvent[] = [];
  let sink: ((e: EngineEvent) => void) | null = null;
  let confirm!: () => void;
  const subscribed = new Promise<void>((r) => (confirm = r));
  const off = conn.transport.onEvent((e) => {
    if (e.type === 'engine' && e.status === 'ready') confirm();
    if (sink) sink(e);
    else buffered.push(e);
  });
  try {
    if (conn.remote) await subscribed;
    const result = await conn.transport.call(inv.op, inv.input);
    if (!result.ok) throw BullpenError.fromBody({ error: result.error });
    const started = jobSchema.parse(result.output);
    if (!inv.flags.json) io.err(`started job ${started.id} (${started.kind}); Ctrl-C cancels it\n`);
    return await waitForJob(conn.transport, started, io, buffered, (cb) => {
      sink = cb;
      return () => {
        sink = null;
      };
    });
  } finally {
    off();
  }
}

/** Runs one op and prints its answer; job ops are followed to their end unless --detach. */
async function runOp(inv: Extract<Invocation, { kind: 'op' }>, io: CliIO): Promise<number> {
  const workspacePath = workspacePathFor(inv.flags);
  const conn = await connect(workspacePath);
  try {
    if (inv.flags.detach && !conn.remote) {
      throw new BullpenError(
        'usage',
        'DETACH_NEEDS_SERVER',
        `--detach needs \`bullpen serve --workspace ${workspacePath}\` running: without it the job would stop when this command exits`,
      );
    }
    let output: unknown;
    if (inv.opKind === 'job' && !inv.flags.detach) {
      const job = await runJob(conn, inv, io);
      const failure = jobFailure(job);
      if (failure) {
        if (!inv.flags.json) io.out(formatJob(job));
        return printError(io, failure, inv.flags.json);
      }
      output = job;
    } else {
      const result = await conn.transport.call(inv.op, inv.input);
      if (!result.ok) throw BullpenError.fromBody({ error: result.error });
      output = result.output;
    }
    io.out(inv.flags.json ? `${JSON.stringify(output)}\n` : formatHuman(output));
    // An answer that is negative (a failed validation, a blocked promotion) exits 1 with its reason last on stderr.
    const negative = contract[inv.op].cli?.negative?.(inv.opKind === 'job' ? (output as Job).result : output) ?? null;
    if (negative) {
      io.err(`bullpen: ${negative}\n`);
      return 1;
    }
    return 0;
  } finally {
    await conn.close();
  }
}

/** Executes a parsed command line and answers with the exit status (docs/CONVENTIONS.md, Command line). */
export async function execute(inv: Invocation, io: CliIO): Promise<number> {
  try {
    if (inv.kind === 'serve') return await runServe(inv, io, workspacePathFor(inv.flags));
    return await runOp(inv, io);
  } catch (err) {
    return printError(io, toBullpenError(err), inv.flags.json);
  }
}
