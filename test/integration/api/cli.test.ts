import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';
import { jobSchema } from '../../../src-main/shared/events';
import { tempWorkspace } from '../../support/waitForEvent';

const BIN = resolve(__dirname, '../../../bin/bullpen.js');

/** Runs the built CLI exactly as a user would, as a separate process. */
function bullpen(args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the bullpen CLI (built bin, as a subprocess)', () => {
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;
  beforeAll(async () => {
    tmp = await tempWorkspace();
  });
  afterAll(async () => {
    await tmp.cleanup();
  });

  it('`jobs run demo --json` waits for the job and prints exactly one JSON job, completed', () => {
    const r = bullpen(['jobs', 'run', 'demo', '--json', '--step-delay-ms', '0', '--rounds', '2', '--workspace', tmp.path]);
    expect(r.code, r.stderr).toBe(0);
    const job = jobSchema.parse(JSON.parse(r.stdout));
    expect(job).toMatchObject({ kind: 'demo', state: 'completed', progress: 1, params: { stepDelayMs: 0, rounds: 2 } });
    // The job's log lines reach standard error, never standard output.
    expect(r.stderr).toMatch(new RegExp(`job ${job.id} \\(demo\\): counted \\d+ tables`));
  });

  it('`jobs list --json` lists that job from the workspace file', () => {
    const r = bullpen(['jobs', 'list', '--json', '--workspace', tmp.path]);
    expect(r.code, r.stderr).toBe(0);
    const { jobs } = JSON.parse(r.stdout) as { jobs: unknown[] };
    expect(jobs.map((j) => jobSchema.parse(j).state)).toEqual(['completed']);
  });

  it('takes the workspace from BULLPEN_WORKSPACE when --workspace is absent', () => {
    const r = bullpen(['workspace', 'info', '--json'], { BULLPEN_WORKSPACE: tmp.path });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ path: tmp.path });
  });

  it('prints people-readable output without --json', () => {
    const r = bullpen(['jobs', 'list', '--workspace', tmp.path]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/id\s+kind\s+state/);
    expect(r.stdout).toMatch(/demo\s+completed\s+100%/);
  });

  it('exits 2 on bad usage and 3 on an unknown job, with a JSON error on stdout and a cause on stderr', () => {
    const usage = bullpen(['jobs', 'list', '--limit', 'lots', '--json', '--workspace', tmp.path]);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stdout)).toMatchObject({ error: { code: 'USAGE' } });
    const missing = bullpen(['jobs', 'show', 'no-such-job', '--json', '--workspace', tmp.path]);
    expect(missing.code).toBe(3);
    expect(JSON.parse(missing.stdout)).toMatchObject({ error: { code: 'JOB_NOT_FOUND' } });
    expect(missing.stderr.trim().split('\n').at(-1)).toMatch(/no job with id no-such-job/);
  });

  it('refuses a workspace from a newer build with exit 3 and a clear message', async () => {
    const newer = join(tmp.dir, 'newer.duckdb');
    expect(bullpen(['workspace', 'info', '--workspace', newer]).code).toBe(0);
    const { Workspace } = await import('../../../src-main/engine/workspace/workspace');
    const ws = await Workspace.open(newer);
    await ws.setMeta('schema_version', '999');
    ws.close();
    const r = bullpen(['workspace', 'info', '--json', '--workspace', newer]);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'WORKSPACE_TOO_NEW', message: expect.stringMatching(/upgrade Bullpen/) } });
  });

  it('treats an impossible --port or an unknown --host of serve as bad usage (exit 2), not an internal error', () => {
    const port = bullpen(['serve', '--port', '99999', '--json', '--workspace', tmp.path]);
    expect(port.code).toBe(2);
    expect(JSON.parse(port.stdout)).toMatchObject({ error: { code: 'USAGE', message: expect.stringMatching(/not a port number/) } });
    const host = bullpen(['serve', '--port', '0', '--host', 'no-such-host.invalid', '--json', '--workspace', tmp.path]);
    expect(host.code, host.stderr).toBe(2);
    expect(JSON.parse(host.stdout)).toMatchObject({
      error: { code: 'BAD_HOST', message: expect.stringMatching(/--host no-such-host.invalid/) },
    });
  });

  it('refuses --detach without a server, since the job would die with the command', () => {
    const r = bullpen(['jobs', 'run', 'demo', '--detach', '--json', '--workspace', tmp.path]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'DETACH_NEEDS_SERVER' } });
  });

  it('`serve --port 0 --json` prints its URL, answers with the token, carries CLI commands on its workspace, and stops on SIGTERM', async () => {
    const ws = join(tmp.dir, 'served.duckdb');
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--json', '--workspace', ws], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      const first = await new Promise<string>((r) => createInterface({ input: child.stdout }).once('line', r));
      const info = JSON.parse(first) as { url: string; origin: string; token: string };
      expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=/);
      const res = await fetch(`${info.origin}/api/ops/workspace.info`, {
        method: 'POST',
        headers: { authorization: `Bearer ${info.token}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { path: string }).path).toBe(ws);

      // The server holds the DuckDB lock; the CLI goes through it instead of failing to open the file.
      const run = bullpen(['jobs', 'run', 'demo', '--json', '--step-delay-ms', '0', '--rounds', '1', '--workspace', ws]);
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ state: 'completed' });

      const detached = bullpen(['jobs', 'run', 'demo', '--detach', '--json', '--step-delay-ms', '10000', '--workspace', ws]);
      expect(detached.code, detached.stderr).toBe(0);
      const job = jobSchema.parse(JSON.parse(detached.stdout));
      expect(job.state).toBe('running');
      const cancelled = bullpen(['jobs', 'cancel', job.id, '--json', '--workspace', ws]);
      expect(cancelled.code, cancelled.stderr).toBe(0);
      expect(JSON.parse(cancelled.stdout)).toMatchObject({ id: job.id, state: 'cancelled' });

      const second = bullpen(['serve', '--port', '0', '--json', '--workspace', ws]);
      expect(second.code).toBe(3);
      expect(JSON.parse(second.stdout)).toMatchObject({ error: { code: 'ALREADY_SERVED' } });
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
    // Once the server is gone the CLI opens the workspace itself again.
    const after = bullpen(['jobs', 'list', '--json', '--workspace', ws]);
    expect(after.code, after.stderr).toBe(0);
    expect((JSON.parse(after.stdout) as { jobs: { state: string }[] }).jobs.map((j) => j.state)).toEqual(['cancelled', 'completed']);
  });
});
