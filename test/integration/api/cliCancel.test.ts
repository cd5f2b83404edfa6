import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { jobSchema } from '../../../src-main/shared/events';
import { tempWorkspace } from '../../support/waitForEvent';

const BIN = resolve(__dirname, '../../../bin/bullpen.js');
/** The exit status README and docs/CONVENTIONS.md give a cancelled job: the op ran and its answer is negative. */
const EXIT_CANCELLED = 1;

/**
 * Ctrl-C on a running `bullpen` job: the terminal sends SIGINT, and the CLI must cancel the job in the
 * engine and exit with the documented status, not die from the signal leaving the job to read
 * `interrupted` (or, worse, `running`) in the workspace.
 */
describe('Ctrl-C on a CLI job (built bin, as a subprocess)', () => {
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;
  beforeAll(async () => {
    tmp = await tempWorkspace();
  });
  afterAll(async () => {
    await tmp.cleanup();
  });

  it('cancels the job, exits 1 and leaves the job cancelled in the workspace', async () => {
    // Long enough that only the cancel can end it: 10 s between steps, 50 rounds.
    const child = spawn(
      process.execPath,
      [BIN, 'jobs', 'run', 'demo', '--step-delay-ms', '10000', '--rounds', '50', '--workspace', tmp.path],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
      child.on('exit', (code, signal) => res({ code, signal })),
    );

    // The CLI says it started the job (and listens for Ctrl-C from then on) before it waits for it.
    let jobId: string | null = null;
    for await (const line of createInterface({ input: child.stderr.setEncoding('utf8') })) {
      stderr += `${line}\n`;
      const m = /^started job (\S+) \(demo\); Ctrl-C cancels it$/.exec(line);
      if (m && jobId === null) {
        jobId = m[1];
        child.kill('SIGINT');
      }
    }
    const { code, signal } = await exited;

    expect(jobId, stderr).not.toBeNull();
    expect(signal, stderr).toBeNull(); // the CLI handled the signal instead of dying from it
    expect(code, stderr).toBe(EXIT_CANCELLED);
    expect(stderr).toContain(`cancelling job ${jobId}`);
    expect(stderr.trim().split('\n').at(-1)).toMatch(new RegExp(`job ${jobId} was cancelled`));
    expect(stdout).toMatch(/cancelled/);

    // The workspace is free again (the CLI closed its engine) and records the job as cancelled.
    const show = spawnSync(process.execPath, [BIN, 'jobs', 'show', jobId!, '--json', '--workspace', tmp.path], { encoding: 'utf8' });
    expect(show.status, show.stderr).toBe(0);
    const job = jobSchema.parse(JSON.parse(show.stdout));
    expect(job).toMatchObject({ id: jobId, kind: 'demo', state: 'cancelled' });
    expect(job.progress).toBeLessThan(1);
  });
});
