/**
 * Serve-mode benchmark: cold start (process start → first successful API call) and API round-trip latency,
 * each side by side with a bare fastify process as the anchor. Prints JSON and appends a row to RESULTS.md.
 * Needs `npm run build` (it runs the built bin, as users do).
 */
import { spawn, execSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = resolve(__dirname, '..');
const BIN = join(ROOT, 'bin', 'bullpen.js');
const COLD_RUNS = 5;
const WARMUP_CALLS = 50;
const CALLS = 500;

/** The anchor: the least a fastify server in its own process can do. */
const BARE_FASTIFY = `
const f = require('fastify')();
f.post('/api/ops/hello', async () => ({ hello: 'world' }));
f.listen({ host: '127.0.0.1', port: 0 }).then(() => {
  process.stdout.write(JSON.stringify({ origin: 'http://127.0.0.1:' + f.server.address().port, token: 'none' }) + '\\n');
});
process.on('SIGTERM', () => f.close().then(() => process.exit(0)));
`;

interface Started {
  child: ChildProcess;
  origin: string;
  token: string;
}

async function startProcess(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((res, rej) => {
    createInterface({ input: child.stdout! }).once('line', res);
    child.once('exit', (code) => rej(new Error(`${args.join(' ')} exited ${code} before printing its URL`)));
  });
  const { origin, token } = JSON.parse(line) as { origin: string; token: string };
  return { child, origin, token };
}

async function stop(s: Started): Promise<void> {
  const exited = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  await exited;
}

const call = async (s: Started, op: string, body: unknown): Promise<void> => {
  const res = await fetch(`${s.origin}/api/ops/${op}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`${op} answered ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
};

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const median = (xs: number[]): number => quantile(xs, 0.5);
const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;

async function coldStart(args: string[], op: string, body: unknown): Promise<number> {
  const t0 = performance.now();
  const s = await startProcess(args);
  await call(s, op, body);
  const ms = performance.now() - t0;
  await stop(s);
  return ms;
}

async function latencies(s: Started, op: string, body: unknown): Promise<number[]> {
  for (let i = 0; i < WARMUP_CALLS; i++) await call(s, op, body);
  const out: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const t0 = performance.now();
    await call(s, op, body);
    out.push(performance.now() - t0);
  }
  return out;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bullpen-bench-'));
  const ws = join(dir, 'workspace.duckdb');
  const serveArgs = [BIN, 'serve', '--port', '0', '--json', '--workspace', ws];
  const bareArgs = ['-e', BARE_FASTIFY];
  try {
    // Create the workspace once so cold starts measure start-up, not first-time migrations.
    await coldStart(serveArgs, 'workspace.info', {});
    const coldServe: number[] = [];
    const coldBare: number[] = [];
    for (let i = 0; i < COLD_RUNS; i++) {
      coldServe.push(await coldStart(serveArgs, 'workspace.info', {}));
      coldBare.push(await coldStart(bareArgs, 'hello', {}));
    }
    const serve = await startProcess(serveArgs);
    const bare = await startProcess(bareArgs);
    const rttServe = await latencies(serve, 'jobs.list', { limit: 1 });
    const rttBare = await latencies(bare, 'hello', {});
    await stop(serve);
    await stop(bare);

    const result = {
      benchmark: 'serve',
      machine: { cores: availableParallelism(), memoryGiB: Math.round(totalmem() / 2 ** 30) },
      coldStartMs: {
        bullpenServe: round(median(coldServe)),
        bareFastify: round(median(coldBare)),
        runs: COLD_RUNS,
        ratio: round(median(coldServe) / median(coldBare)),
      },
      roundTripMs: {
        op: 'jobs.list {limit:1} (HTTP → engine child → DuckDB) vs bare fastify POST',
        calls: CALLS,
        bullpen: { p50: round(median(rttServe), 3), p99: round(quantile(rttServe, 0.99), 3) },
        bareFastify: { p50: round(median(rttBare), 3), p99: round(quantile(rttBare, 0.99), 3) },
        ratioP50: round(median(rttServe) / median(rttBare)),
      },
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    let commit = 'unknown';
    try {
      commit = execSync('git rev-parse --short HEAD', { cwd: ROOT, encoding: 'utf8' }).trim();
    } catch {
      // not a git checkout: keep "unknown"
    }
    const date = new Date().toISOString().slice(0, 10);
    const machine = `${result.machine.cores} cores, ${result.machine.memoryGiB} GiB`;
    const rows = [
      `| ${date} | ${commit} | ${machine} | serve cold start | \`bullpen serve\` process start → first successful workspace.info vs bare fastify process → first POST (median of ${COLD_RUNS}) | ${result.coldStartMs.bullpenServe} ms vs ${result.coldStartMs.bareFastify} ms | ${result.coldStartMs.ratio} |`,
      `| ${date} | ${commit} | ${machine} | serve round trip | ${CALLS} sequential jobs.list calls (HTTP → engine child → DuckDB) vs bare fastify POST route | p50 ${result.roundTripMs.bullpen.p50} ms (p99 ${result.roundTripMs.bullpen.p99}) vs p50 ${result.roundTripMs.bareFastify.p50} ms (p99 ${result.roundTripMs.bareFastify.p99}) | ${result.roundTripMs.ratioP50} |`,
    ];
    appendFileSync(join(ROOT, 'bench', 'RESULTS.md'), `${rows.join('\n')}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench serve failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(5);
});
