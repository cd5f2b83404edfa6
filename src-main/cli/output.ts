import type { BullpenError } from '../shared/errors';
import { jobSchema, type Job } from '../shared/events';
import { isJobKind, jobResultSchemas } from '../shared/results';

/** Where the CLI writes: stdout carries the answer, stderr carries progress, logs and the cause of failure. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal (progress bars only make sense there). */
  errIsTTY: boolean;
}

export const processIO: CliIO = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  errIsTTY: process.stderr.isTTY === true,
};

/** Reports a failure the way docs/CONVENTIONS.md says: a JSON error on stdout with --json, and a last line on stderr. */
export function printError(io: CliIO, err: BullpenError, json: boolean): number {
  if (json)
    io.out(`${JSON.stringify({ error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } })}\n`);
  io.err(`bullpen: ${err.message}\n`);
  return err.exitCode;
}

/** Numbers for people: integers as they are, fractions to four significant digits. */
const num = (v: number): string => (Number.isInteger(v) || !Number.isFinite(v) ? String(v) : String(Number(v.toPrecision(4))));

const cell = (v: unknown): string =>
  v === null || v === undefined ? '' : typeof v === 'number' ? num(v) : typeof v === 'object' ? JSON.stringify(v) : String(v);

/** A plain aligned table for arrays of flat records. */
function table(rows: Record<string, unknown>[], columns?: string[]): string {
  if (rows.length === 0) return '(none)\n';
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cells = rows.map((r) => cols.map((c) => cell(r[c])));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
  const line = (vals: string[]): string =>
    vals
      .map((v, i) => v.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return `${[line(cols), ...cells.map(line)].join('\n')}\n`;
}

export function formatJob(job: Job): string {
  const pct = `${Math.round(job.progress * 100)}%`;
  const lines = [`job ${job.id}  ${job.kind}  ${job.state}  ${pct}  ${job.message}`];
  if (job.error) lines.push(`error: ${job.error}`);
  if (job.result !== null && job.state === 'completed') lines.push(`result:\n${indent(formatHuman(typedResult(job))).trimEnd()}`);
  return `${lines.join('\n')}\n`;
}

/**
 * A completed job's result read through its kind's schema (shared/results), the same one the engine
 * checked it against. A result the schema does not accept (an engine of another version) is shown as sent.
 */
function typedResult(job: Job): unknown {
  if (!isJobKind(job.kind)) return job.result;
  const parsed = jobResultSchemas[job.kind].safeParse(job.result);
  return parsed.success ? parsed.data : job.result;
}

const indent = (text: string): string => text.replace(/^(?=.)/gm, '  ');
const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
/** Long numeric series (curves, equity) are summarized: people read them in the UI or with --json. */
const MAX_INLINE_ARRAY = 12;

const JOB_COLUMNS = ['id', 'kind', 'state', 'progress', 'message', 'createdAt'];

/** Human output for any op's answer: jobs and lists of records as tables, nested objects indented. */
export function formatHuman(output: unknown): string {
  const job = jobSchema.safeParse(output);
  if (job.success) return formatJob(job.data);
  if (!isRecord(output)) return `${cell(output)}\n`;
  let text = '';
  for (const [key, value] of Object.entries(output)) {
    if (Array.isArray(value) && value.length > 0 && value.every(isRecord)) {
      const isJobs = value.every((r) => jobSchema.safeParse(r).success);
      const shown = isJobs ? value.map((r) => ({ ...r, progress: `${Math.round(Number(r.progress) * 100)}%` })) : value;
      text += `${key}:\n${indent(table(shown, isJobs ? JOB_COLUMNS : undefined))}`;
    } else if (Array.isArray(value) && value.length > MAX_INLINE_ARRAY) {
      text += `${key}: [${value.length} values; see --json]\n`;
    } else if (Array.isArray(value)) {
      text += `${key}: ${value.map(cell).join(', ')}\n`;
    } else if (isRecord(value)) {
      text += `${key}:\n${indent(formatHuman(value))}`;
    } else {
      text += `${key}: ${cell(value)}\n`;
    }
  }
  return text;
}
