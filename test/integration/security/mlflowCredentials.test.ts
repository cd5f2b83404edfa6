// MLflow credentials come only from the environment and go only into the Authorization header: a
// server refusing them (401, as MLflow's basic-auth app answers) gets a clear exit 4 naming the URL and
// the status, and neither the password nor the token appears on stdout, stderr, in the job's record or
// anywhere in the workspace file. A tracking URI with credentials in it is refused without echoing them.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemo } from '../../../src-main/engine/demo/buildDemo';
import { dispatch } from '../../../src-main/api/handlers';
import { Engine } from '../../../src-main/engine/engine';
import { REMOTE_CALLER } from '../../../src-main/shared/caller';
import { z } from 'zod';
import { tempWorkspace } from '../../support/waitForEvent';
import { FAST, call, runJobResult } from '../ml/mlWorkspace';

/** What `--json` prints on a failure (docs/CONVENTIONS.md); the exit status carries the kind. */
const cliError = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const BIN = resolve(__dirname, '../../../bin/bullpen.js');
const PASSWORD = 'pw-7f3a9c-do-not-leak';
const TOKEN = 'tok-91be24-do-not-leak';
const secrets = [PASSWORD, TOKEN, Buffer.from(`ana:${PASSWORD}`).toString('base64')];

/** Runs the CLI without blocking this process: the server answering it lives here. */
function bullpen(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('close', (status) => resolveRun({ status, stdout, stderr }));
  });
}

describe('MLflow credentials never leave the Authorization header (built CLI)', () => {
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;
  let server: Server;
  let uri: string;
  const authorizations: (string | undefined)[] = [];

  beforeAll(async () => {
    tmp = await tempWorkspace();
    const engine = await Engine.open({ workspacePath: tmp.path });
    try {
      await buildDemo(engine.workspace, { seed: 8, firstSeason: 2010, lastSeason: 2011, marketInefficiency: true, scoringShift: false });
      await call(engine, 'ml.policy.set', { text: 'autoValidate: false\n' });
      await runJobResult(engine, 'ml.train', { train: '2010', valid: '2011', name: 'secretive', ...FAST });
    } finally {
      await engine.close();
    }
    // Answers like MLflow's basic-auth app to a wrong password: plain text 401 with a Basic challenge.
    server = createServer((req, res) => {
      authorizations.push(req.headers.authorization);
      res.writeHead(401, { 'Content-Type': 'text/plain', 'WWW-Authenticate': 'Basic realm="mlflow"' });
      res.end(
        'You are not authenticated. Please see https://www.mlflow.org/docs/latest/auth/index.html#authenticating-to-mlflow on how to authenticate.',
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 300_000);
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await tmp?.cleanup();
  });

  it('wrong credentials: exit 4 with the URL and 401, the password and token nowhere in the output, the job record or the workspace', async () => {
    const r = await bullpen(['export', 'mlflow', '--model', 'secretive', '--tracking-uri', uri, '--json', '--workspace', tmp.path], {
      MLFLOW_TRACKING_USERNAME: 'ana',
      MLFLOW_TRACKING_PASSWORD: PASSWORD,
      MLFLOW_TRACKING_TOKEN: TOKEN,
    });
    expect(r.status, r.stderr).toBe(4);
    const body = cliError.parse(JSON.parse(r.stdout));
    expect(body.error.code).toBe('MLFLOW_UNAUTHENTICATED');
    expect(body.error.message).toContain(`${uri}/version answered 401`);
    expect(body.error.message).toMatch(/MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD/);
    // Sent once, as basic auth (it wins over the token), and not retried: a retry cannot fix a password.
    expect(authorizations).toEqual([`Basic ${Buffer.from(`ana:${PASSWORD}`).toString('base64')}`]);
    for (const s of secrets) {
      expect(r.stdout).not.toContain(s);
      expect(r.stderr).not.toContain(s);
    }
    const engine = await Engine.open({ workspacePath: tmp.path });
    try {
      const jobs = await engine.jobs.list({ limit: 10 });
      expect(jobs.filter((j) => j.kind === 'export.mlflow').map((j) => [j.state, j.errorCode])).toEqual([
        ['failed', 'MLFLOW_UNAUTHENTICATED'],
      ]);
      for (const s of secrets) expect(JSON.stringify(jobs)).not.toContain(s);
    } finally {
      await engine.close();
    }
    for (const file of readdirSync(tmp.dir)) {
      const bytes = readFileSync(join(tmp.dir, file)).toString('latin1');
      for (const s of secrets) expect(bytes.includes(s), `${file} holds a credential`).toBe(false);
    }
  }, 60_000);

  it('a tracking URI with credentials in it: refused (exit 3) before any request, without echoing the password', async () => {
    const before = authorizations.length;
    const withCreds = uri.replace('http://', `http://ana:${PASSWORD}@`);
    const r = await bullpen(['export', 'mlflow', '--model', 'secretive', '--tracking-uri', withCreds, '--json', '--workspace', tmp.path]);
    expect(r.status).toBe(3);
    expect(cliError.parse(JSON.parse(r.stdout)).error.code).toBe('MLFLOW_TRACKING_URI_CREDENTIALS');
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    expect(authorizations.length).toBe(before);
  });

  it('a remote caller (the browser UI of `bullpen serve`) cannot point the export, and the credentials, at a server of its choosing', async () => {
    const before = authorizations.length;
    const engine = await Engine.open({ workspacePath: tmp.path });
    try {
      const r = await dispatch(engine, 'export.mlflow', { model: 'secretive', trackingUri: uri }, REMOTE_CALLER);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatchObject({ kind: 'input', code: 'MLFLOW_TRACKING_URI_REMOTE' });
      expect((await engine.jobs.list({ limit: 20 })).filter((j) => j.kind === 'export.mlflow')).toHaveLength(1);
    } finally {
      await engine.close();
    }
    expect(authorizations.length).toBe(before);
  });
});
