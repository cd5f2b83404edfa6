// What a user sees when the export cannot happen (built CLI): an MLflow server that is down, one that
// refuses the user (403), one whose artifacts are not proxied. Each exits 4 with the URL and the status or
// cause on the last line of stderr, and nothing is recorded in the workspace: no export on the run, no
// `export` entry in the audit trail.
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemo } from '../../../src-main/engine/demo/buildDemo';
import { Engine } from '../../../src-main/engine/engine';
import { EXPORT_RECORD_TAG } from '../../../src-main/engine/integrations/mlflow/exportRecord';
import { z } from 'zod';
import { tempWorkspace } from '../../support/waitForEvent';
import { FAST, call, runJobResult } from '../ml/mlWorkspace';

/** What `--json` prints on a failure (docs/CONVENTIONS.md); the exit status carries the kind. */
const cliError = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const BIN = resolve(__dirname, '../../../bin/bullpen.js');

/** Runs the CLI without blocking this process: the stub servers answering it live here. */
function bullpen(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string; last: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('close', (code) => resolveRun({ code, stdout, stderr, last: stderr.trim().split('\n').pop() ?? '' }));
  });
}

/** A server standing in for one MLflow behaviour, recording what it was asked. */
async function stub(answer: (req: IncomingMessage) => { status: number; body: string; type?: string }) {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url?.split('?')[0]}`);
    req.resume();
    req.on('end', () => {
      const a = answer(req);
      res.writeHead(a.status, { 'Content-Type': a.type ?? 'application/json' });
      res.end(a.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => new Promise((r) => server.close(r)) };
}

describe('export mlflow failures (built CLI): exit 4, the URL and the status, nothing half-recorded locally', () => {
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;
  const args = (uri: string) => ['export', 'mlflow', '--model', 'fails:1', '--tracking-uri', uri, '--json', '--workspace', tmp.path];

  async function nothingRecorded(): Promise<void> {
    const engine = await Engine.open({ workspacePath: tmp.path });
    try {
      const model = await engine.models.get('failing');
      expect((await engine.runs.get(model.runId)).tags[EXPORT_RECORD_TAG]).toBeUndefined();
      expect((await engine.registry.audit('fails')).map((e) => e.action)).toEqual(['register']);
    } finally {
      await engine.close();
    }
  }

  beforeAll(async () => {
    tmp = await tempWorkspace();
    const engine = await Engine.open({ workspacePath: tmp.path });
    try {
      await buildDemo(engine.workspace, { seed: 4, firstSeason: 2010, lastSeason: 2011, marketInefficiency: true, scoringShift: false });
      await call(engine, 'ml.policy.set', { text: 'autoValidate: false\n' });
      await runJobResult(engine, 'ml.train', { train: '2010', valid: '2011', name: 'failing', ...FAST });
      await call(engine, 'registry.register', { model: 'failing', as: 'fails' });
    } finally {
      await engine.close();
    }
  }, 300_000);
  afterAll(async () => tmp?.cleanup());

  it('a server that is down: exit 4, MLFLOW_UNREACHABLE naming the URL, after retrying', async () => {
    const gone = await stub(() => ({ status: 200, body: '{}' }));
    await gone.close();
    const r = await bullpen(args(gone.uri));
    expect(r.code, r.stderr).toBe(4);
    const body = cliError.parse(JSON.parse(r.stdout));
    expect(body.error.code).toBe('MLFLOW_UNREACHABLE');
    expect(body.error.message).toContain(gone.uri);
    expect(body.error.message).toMatch(/ECONNREFUSED, 5 attempts/);
    expect(r.last).toContain(gone.uri);
    await nothingRecorded();
  }, 60_000);

  it('a server refusing the user (403 from the auth app, plain text): exit 4 with the URL and 403, not retried', async () => {
    const s = await stub(() => ({ status: 403, body: 'Permission denied', type: 'text/plain' }));
    const r = await bullpen(args(s.uri), { MLFLOW_TRACKING_USERNAME: 'bo', MLFLOW_TRACKING_PASSWORD: 'wrong-pass-9' });
    await s.close();
    expect(r.code, r.stderr).toBe(4);
    const body = cliError.parse(JSON.parse(r.stdout));
    expect(body.error.code).toBe('MLFLOW_PERMISSION_DENIED');
    expect(body.error.message).toMatch(new RegExp(`MLflow at ${s.uri}/version answered 403 .*Permission denied`));
    expect(s.seen).toEqual(['GET /version']);
    await nothingRecorded();
  }, 60_000);

  it('a server whose artifacts are not proxied: refused before anything is created in MLflow, saying how to fix it', async () => {
    const s = await stub((req) => {
      if (req.url === '/version') return { status: 200, body: '3.17.2', type: 'text/plain' };
      if (req.url?.startsWith('/api/2.0/mlflow/experiments/get-by-name'))
        return {
          status: 200,
          body: JSON.stringify({
            experiment: { experiment_id: '4', name: 'bullpen', artifact_location: 's3://team-bucket/mlflow/4', lifecycle_stage: 'active' },
          }),
        };
      return { status: 500, body: '{"error_code":"INTERNAL_ERROR","message":"unexpected"}' };
    });
    const r = await bullpen(args(s.uri));
    await s.close();
    expect(r.code, r.stderr).toBe(4);
    const body = cliError.parse(JSON.parse(r.stdout));
    expect(body.error.code).toBe('MLFLOW_ARTIFACTS_NOT_PROXIED');
    expect(body.error.message).toContain('s3://team-bucket/mlflow/4');
    expect(body.error.message).toMatch(/--artifacts-destination/);
    expect(s.seen).toEqual(['GET /version', 'GET /api/2.0/mlflow/experiments/get-by-name']);
    await nothingRecorded();
  }, 60_000);

  it('no tracking URI anywhere: exit 2 saying the three ways to give one, before any job starts', async () => {
    const r = await bullpen(['export', 'mlflow', '--model', 'fails:1', '--json', '--workspace', tmp.path], { MLFLOW_TRACKING_URI: '' });
    expect(r.code).toBe(2);
    expect(cliError.parse(JSON.parse(r.stdout)).error.code).toBe('MLFLOW_TRACKING_URI_MISSING');
    expect(r.last).toMatch(/--tracking-uri.*settings set.*MLFLOW_TRACKING_URI/);
  });

  it('an unknown registry version: exit 3 naming it', async () => {
    const r = await bullpen([
      'export',
      'mlflow',
      '--model',
      'fails:7',
      '--tracking-uri',
      'http://127.0.0.1:9',
      '--json',
      '--workspace',
      tmp.path,
    ]);
    expect(r.code).toBe(3);
    expect(r.last).toMatch(/fails/);
  });
});
