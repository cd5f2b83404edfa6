import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { contract, type OpDef } from '../../../src-main/api/contract';
import { dispatch } from '../../../src-main/api/handlers';
import { EngineProcess } from '../../../src-main/api/host/engineProcess';
import { newToken } from '../../../src-main/api/http/security';
import { startServer, type RunningServer } from '../../../src-main/api/http/server';
import { serverFilePath } from '../../../src-main/api/http/serverFile';
import { writeAtomically } from '../../../src-main/engine/files/atomicWrite';
import { isDuckDbFile } from '../../../src-main/engine/files/replaceGuard';
import { Workspace } from '../../../src-main/engine/workspace/workspace';
import { Engine } from '../../../src-main/engine/engine';
import { REMOTE_CALLER } from '../../../src-main/shared/caller';
import { BullpenError } from '../../../src-main/shared/errors';
import { tempWorkspace } from '../../support/waitForEvent';

const BIN = resolve(__dirname, '../../../bin/bullpen.js');
const GAME_LOG = resolve(__dirname, '../../fixtures/retrosheet/GL2016mini.TXT');
/** GL2016mini.TXT holds nine 2016 games. */
const MINI_GAMES = 9;
/** A line every /etc/passwd has; no error message may carry it. */
const PASSWD_LINE = 'root:x:0:0';

interface OpAnswer {
  status: number;
  body: { error?: { code: string; kind: string; message: string }; [key: string]: unknown };
  text: string;
}

/** POSTs an op to a real server with a bearer token, as the browser UI or the CLI would. */
async function op(server: { origin: string }, token: string, name: string, input: unknown): Promise<OpAnswer> {
  const res = await fetch(`${server.origin}/api/ops/${name}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as OpAnswer['body'], text };
}

/** Runs the built CLI as a separate process, as a user would. */
function bullpen(
  args: string[],
  cwd?: string,
): { code: number | null; stdout: string; stderr: string; json: { error?: { code: string; message: string } } & Record<string, unknown> } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd, env: { ...process.env, BULLPEN_WORKSPACE: '' } });
  let json = {};
  try {
    json = JSON.parse(r.stdout) as object;
  } catch {
    // not JSON: asserted on by the caller through code and stderr
  }
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json };
}

const gamesIn = (ws: string): number => {
  const r = bullpen(['data', 'status', '--json', '--workspace', ws]);
  expect(r.code, r.stderr).toBe(0);
  return r.json.games as number;
};

/** Files a failed write might leave behind in a folder (our temp files are hidden `.bullpen-*` siblings). */
const leftovers = (dir: string): string[] => readdirSync(dir).filter((f) => f.startsWith('.bullpen-'));

describe('file paths over the served API: the URL token reads only uploads and writes only the export folder', () => {
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;
  let engine: EngineProcess;
  let server: RunningServer;
  let ownerToken: string;
  let exportDir: string;
  let outside: string;
  let allowed: string;

  beforeAll(async () => {
    tmp = await tempWorkspace();
    exportDir = join(tmp.dir, 'exports');
    outside = join(tmp.dir, 'outside');
    allowed = join(tmp.dir, 'allowed');
    mkdirSync(outside);
    mkdirSync(allowed);
    engine = await EngineProcess.start({ workspacePath: tmp.path, allowWrite: [allowed] });
    ownerToken = newToken();
    server = await startServer({ transport: engine, port: 0, ownerToken });
  });

  afterAll(async () => {
    await server?.close();
    await engine?.stop();
    await tmp?.cleanup();
  });

  it('refuses to import /etc/passwd (or climb to it) and never echoes its content', async () => {
    for (const file of ['/etc/passwd', '../../../../../../etc/passwd']) {
      for (const name of ['data.importGames', 'data.importRetrosheet']) {
        const r = await op(server, server.token, name, { files: [file] });
        expect(r.status, `${name} ${file}`).toBe(400);
        expect(r.body.error?.code).toBe('PATH_NOT_ALLOWED');
        expect(r.body.error?.message).toContain(file);
        expect(r.text).not.toContain(PASSWD_LINE);
      }
    }
    const register = await op(server, server.token, 'features.register', { file: '/etc/passwd' });
    expect(register.status).toBe(400);
    expect(register.body.error?.code).toBe('PATH_NOT_ALLOWED');
    expect(register.text).not.toContain(PASSWD_LINE);
    const predict = await op(server, server.token, 'ml.predict', { model: 'any', input: '/etc/passwd', out: 'p.csv' });
    expect(predict.status).toBe(400);
    expect(predict.body.error?.code).toBe('PATH_NOT_ALLOWED');
    expect(predict.text).not.toContain(PASSWD_LINE);
  });

  it('imports a file the page uploaded, as the Import panel does', async () => {
    const up = await op(server, server.token, 'data.upload', {
      name: 'GL2016mini.TXT',
      offset: 0,
      base64: readFileSync(GAME_LOG).toString('base64'),
    });
    expect(up.status, up.text).toBe(200);
    const imported = await op(server, server.token, 'data.importRetrosheet', { files: [up.body.path] });
    expect(imported.status, imported.text).toBe(200);
    expect(imported.body.inserted).toBe(MINI_GAMES);
    await op(server, server.token, 'data.discardUpload', { uploadId: up.body.uploadId });
  });

  it('refuses a symlink planted in the upload folder that points out of it', async () => {
    const up = await op(server, server.token, 'data.upload', { name: 'seed.TXT', offset: 0, base64: Buffer.from('x').toString('base64') });
    expect(up.status, up.text).toBe(200);
    const link = join(String(up.body.path), '..', 'passwd.TXT');
    symlinkSync('/etc/passwd', link);
    const r = await op(server, server.token, 'data.importGames', { files: [link] });
    expect(r.status).toBe(400);
    expect(r.body.error?.code).toBe('PATH_ESCAPES');
    expect(r.text).not.toContain(PASSWD_LINE);
    await op(server, server.token, 'data.discardUpload', { uploadId: up.body.uploadId });
  });

  it('refuses to export to an absolute path outside the export folder, and writes nothing there', async () => {
    const target = join(outside, 'teams.csv');
    for (const name of ['data.export', 'features.export']) {
      const input = name === 'data.export' ? { table: 'teams', out: target } : { set: 'default', out: target };
      const r = await op(server, server.token, name, input);
      expect(r.status, name).toBe(400);
      expect(r.body.error?.code).toBe('PATH_NOT_ALLOWED');
      expect(r.body.error?.message).toContain(target);
      expect(r.body.error?.message).toContain(exportDir);
    }
    const tmpTarget = `/tmp/bullpen-confinement-${process.pid}.csv`;
    const r = await op(server, server.token, 'data.export', { table: 'teams', out: tmpTarget });
    expect(r.status).toBe(400);
    expect(existsSync(tmpTarget)).toBe(false);
    expect(existsSync(target)).toBe(false);
  });

  it('puts a plain file name into <workspace folder>/exports, created owner-only', async () => {
    const r = await op(server, server.token, 'data.export', { table: 'games', out: 'games.csv' });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ out: join(exportDir, 'games.csv'), rows: MINI_GAMES, format: 'csv' });
    expect(readFileSync(join(exportDir, 'games.csv'), 'utf8').split('\n')[0]).toMatch(/game_id/);
    expect(statSync(exportDir).mode & 0o777).toBe(0o700);
    expect(leftovers(exportDir)).toEqual([]);
    // The absolute spelling of the same folder is allowed too, and so is a folder serve was given.
    expect((await op(server, server.token, 'data.export', { table: 'teams', out: join(exportDir, 'teams.parquet') })).status).toBe(200);
    const extra = await op(server, server.token, 'data.export', { table: 'teams', out: join(allowed, 'teams.csv') });
    expect(extra.status, extra.text).toBe(200);
    expect(existsSync(join(allowed, 'teams.csv'))).toBe(true);
  });

  it('refuses `..`, even when it would come back inside the export folder', async () => {
    for (const out of ['../escape.csv', `${exportDir}/../escape.csv`, `${exportDir}/../exports/inside.csv`, 'sub/../../escape.csv']) {
      const r = await op(server, server.token, 'data.export', { table: 'teams', out });
      expect(r.status, out).toBe(400);
      expect(r.body.error?.code, out).toBe('PATH_NOT_ALLOWED');
    }
    expect(existsSync(join(tmp.dir, 'escape.csv'))).toBe(false);
    expect(existsSync(join(exportDir, 'inside.csv'))).toBe(false);
  });

  it('refuses symlinks in the export folder that lead out of it (a folder link and a file link)', async () => {
    mkdirSync(exportDir, { recursive: true });
    symlinkSync(outside, join(exportDir, 'out-dir'));
    symlinkSync(join(outside, 'victim.csv'), join(exportDir, 'victim.csv'));
    writeFileSync(join(outside, 'victim.csv'), 'precious\n');
    for (const out of ['out-dir/x.csv', 'victim.csv', join(exportDir, 'out-dir', 'x.csv')]) {
      const r = await op(server, server.token, 'data.export', { table: 'teams', out });
      expect(r.status, out).toBe(400);
      expect(r.body.error?.code, out).toBe('PATH_ESCAPES');
      expect(r.body.error?.message).toContain(out);
    }
    expect(existsSync(join(outside, 'x.csv'))).toBe(false);
    expect(readFileSync(join(outside, 'victim.csv'), 'utf8')).toBe('precious\n');
  });

  it('answers a NUL byte, a 100,000-character path and a missing folder with 400 naming the problem, never 500', async () => {
    const cases: { out: string; code: string; says: RegExp }[] = [
      { out: '\u0000', code: 'PATH_HAS_NUL', says: /NUL/ },
      { out: 'a\u0000b.csv', code: 'PATH_HAS_NUL', says: /NUL/ },
      { out: 'x'.repeat(100_000), code: 'PATH_TOO_LONG', says: /100000 characters/ },
      { out: 'no-such-folder/x.csv', code: 'FOLDER_NOT_FOUND', says: /folder .*no-such-folder does not exist/ },
      { out: `${'y'.repeat(300)}.csv`, code: 'PATH_TOO_LONG', says: /too long/ },
    ];
    for (const name of ['data.export', 'features.export']) {
      for (const c of cases) {
        const input = name === 'data.export' ? { table: 'teams', out: c.out } : { set: 'default', out: c.out };
        for (const token of [server.token, ownerToken]) {
          // The owner (local) gets the same answers; a relative path is theirs to make absolute, so use one.
          const out = token === ownerToken && !c.out.startsWith('\u0000') && c.out.length < 4096 ? join(tmp.dir, c.out) : c.out;
          const r = await op(server, token, name, { ...input, out });
          expect(r.status, `${name} ${c.code}`).toBe(400);
          expect(r.body.error?.code, `${name} ${c.code}`).toBe(c.code);
          expect(r.body.error?.message).toMatch(c.says);
        }
      }
    }
  });

  it('lets the owner token (the CLI on this machine) read and write where its user may, but never over the workspace', async () => {
    const copy = join(outside, 'GL2016mini.TXT');
    copyFileSync(GAME_LOG, copy);
    const imported = await op(server, ownerToken, 'data.importRetrosheet', { files: [copy] });
    expect(imported.status, imported.text).toBe(200);
    const target = join(outside, 'teams.csv');
    const exported = await op(server, ownerToken, 'data.export', { table: 'teams', out: target });
    expect(exported.status, exported.text).toBe(200);
    expect(readFileSync(target, 'utf8')).toMatch(/^\w/);
    for (const out of [tmp.path, `${tmp.path}.wal`, serverFilePath(tmp.path)]) {
      const r = await op(server, ownerToken, 'data.export', { table: 'teams', out, format: 'csv' });
      expect(r.status, out).toBe(400);
      expect(r.body.error?.code).toBe('WOULD_OVERWRITE_WORKSPACE');
    }
    expect(isDuckDbFile(tmp.path)).toBe(true);
    const info = await op(server, ownerToken, 'data.status', {});
    expect(info.body.games).toBe(MINI_GAMES);
  });
});

describe('file paths through the CLI: exports never replace a database and appear whole or not at all', () => {
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;
  beforeAll(async () => {
    tmp = await tempWorkspace();
    const r = bullpen(['data', 'import', 'retrosheet', GAME_LOG, '--json', '--workspace', tmp.path]);
    expect(r.code, r.stderr).toBe(0);
  });
  afterAll(async () => {
    await tmp.cleanup();
  });

  it('refuses to export over the open workspace (exit 3), which still opens with its games', () => {
    expect(gamesIn(tmp.path)).toBe(MINI_GAMES);
    const r = bullpen(
      ['data', 'export', 'teams', '--out', 'workspace.duckdb', '--format', 'csv', '--json', '--workspace', 'workspace.duckdb'],
      tmp.dir,
    );
    expect(r.code, r.stderr).toBe(3);
    expect(r.json.error?.code).toBe('WOULD_OVERWRITE_WORKSPACE');
    expect(r.stderr.trim().split('\n').at(-1)).toContain(tmp.path);
    expect(isDuckDbFile(tmp.path)).toBe(true);
    expect(gamesIn(tmp.path)).toBe(MINI_GAMES);
    const wal = bullpen(['data', 'export', 'teams', '--out', `${tmp.path}.wal`, '--json', '--workspace', tmp.path]);
    expect(wal.code).toBe(3);
    expect(wal.json.error?.code).toBe('WOULD_OVERWRITE_WORKSPACE');
  });

  it('refuses to export over another DuckDB database, whatever its name', async () => {
    const other = join(tmp.dir, 'other.parquet');
    const ws = await Workspace.open(other);
    ws.close();
    expect(isDuckDbFile(other)).toBe(true);
    const r = bullpen(['data', 'export', 'games', '--out', other, '--json', '--workspace', tmp.path]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.json.error?.code).toBe('WOULD_OVERWRITE_DATABASE');
    expect(isDuckDbFile(other)).toBe(true);
  });

  it('resolves a relative --out against the caller’s folder and replaces an ordinary file there', () => {
    const target = join(tmp.dir, 'games.csv');
    writeFileSync(target, 'old\n');
    const r = bullpen(['data', 'export', 'games', '--out', 'games.csv', '--json', '--workspace', tmp.path], tmp.dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ out: target, rows: MINI_GAMES });
    expect(readFileSync(target, 'utf8').split('\n')).toHaveLength(MINI_GAMES + 2);
    expect(leftovers(tmp.dir)).toEqual([]);
  });

  it('leaves the old file untouched and no temp file behind when the export fails midway', async () => {
    const ws = await Workspace.open(tmp.path);
    // A view that fails only after many rows were produced: the COPY has begun writing when it errors.
    await ws.run(
      `CREATE VIEW fails_midway AS SELECT i, CASE WHEN i > 150000 THEN error('row ' || i || ' cannot be exported') ELSE i END AS v FROM range(200000) t(i)`,
    );
    ws.close();
    const target = join(tmp.dir, 'midway.csv');
    writeFileSync(target, 'previous export\n');
    for (const format of ['csv', 'parquet']) {
      const out = format === 'csv' ? target : join(tmp.dir, 'midway.parquet');
      const r = bullpen(['data', 'export', 'fails_midway', '--out', out, '--json', '--workspace', tmp.path]);
      expect(r.code, format).not.toBe(0);
      expect(r.json.error?.message).toMatch(/cannot be exported/);
    }
    expect(readFileSync(target, 'utf8')).toBe('previous export\n');
    expect(existsSync(join(tmp.dir, 'midway.parquet'))).toBe(false);
    expect(leftovers(tmp.dir)).toEqual([]);
    // A refusal found before writing (a name saying another format) leaves nothing either.
    const mismatch = bullpen(['data', 'export', 'games', '--out', target, '--format', 'parquet', '--json', '--workspace', tmp.path]);
    expect(mismatch.code).toBe(3);
    expect(readFileSync(target, 'utf8')).toBe('previous export\n');
    expect(leftovers(tmp.dir)).toEqual([]);
  });

  it('refuses a missing folder with exit 3 naming it', () => {
    const r = bullpen(['data', 'export', 'games', '--out', join(tmp.dir, 'nope', 'x.csv'), '--json', '--workspace', tmp.path]);
    expect(r.code).toBe(3);
    expect(r.json.error).toMatchObject({
      code: 'FOLDER_NOT_FOUND',
      message: expect.stringContaining(`folder ${join(tmp.dir, 'nope')} does not exist`),
    });
  });

  it('on a served workspace: the CLI (owner token from the 0600 server file) keeps its own paths, the URL token does not', async () => {
    const ws = join(tmp.dir, 'served.duckdb');
    const allowed = join(tmp.dir, 'allowed-by-flag');
    mkdirSync(allowed);
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--json', '--workspace', ws, '--allow-write', allowed], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, BULLPEN_AUTO_DEMO: '0' },
    });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      const first = await new Promise<string>((r) => createInterface({ input: child.stdout }).once('line', r));
      const info = JSON.parse(first) as { origin: string; token: string };
      const file = JSON.parse(readFileSync(serverFilePath(ws), 'utf8')) as { token: string; ownerToken: string };
      expect(statSync(serverFilePath(ws)).mode & 0o777).toBe(0o600);
      expect(file.ownerToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      expect(file.ownerToken).not.toBe(info.token);
      expect(first).not.toContain(file.ownerToken);

      const imported = bullpen(['data', 'import', 'retrosheet', GAME_LOG, '--json', '--workspace', ws]);
      expect(imported.code, imported.stderr).toBe(0);
      const outsideTarget = join(tmp.dir, 'served-teams.csv');
      const cli = bullpen(['data', 'export', 'teams', '--out', outsideTarget, '--json', '--workspace', ws]);
      expect(cli.code, cli.stderr).toBe(0);
      expect(existsSync(outsideTarget)).toBe(true);
      const relative = bullpen(['data', 'export', 'games', '--out', 'served-games.csv', '--json', '--workspace', ws], tmp.dir);
      expect(relative.code, relative.stderr).toBe(0);
      expect(relative.json).toMatchObject({ out: join(tmp.dir, 'served-games.csv'), rows: MINI_GAMES });
      const overWorkspace = bullpen(['data', 'export', 'teams', '--out', ws, '--format', 'csv', '--json', '--workspace', ws]);
      expect(overWorkspace.code).toBe(3);
      expect(overWorkspace.json.error?.code).toBe('WOULD_OVERWRITE_WORKSPACE');

      // A job run through the server follows its events over the WebSocket with the owner token too.
      const job = bullpen(['jobs', 'run', 'demo', '--json', '--step-delay-ms', '0', '--rounds', '1', '--workspace', ws]);
      expect(job.code, job.stderr).toBe(0);

      const browser = await op(info, info.token, 'data.export', { table: 'teams', out: outsideTarget.replace('.csv', '-2.csv') });
      expect(browser.status).toBe(400);
      expect(browser.body.error?.code).toBe('PATH_NOT_ALLOWED');
      const flagged = await op(info, info.token, 'data.export', { table: 'teams', out: join(allowed, 'teams.csv') });
      expect(flagged.status, flagged.text).toBe(200);
      const plain = await op(info, info.token, 'data.export', { table: 'games', out: 'games.csv' });
      expect(plain.status, plain.text).toBe(200);
      expect(plain.body.out).toBe(join(tmp.dir, 'exports', 'games.csv'));
      const socketOpen = await new Promise<boolean>((r) => {
        const s = new WebSocket(`${info.origin.replace(/^http/, 'ws')}/api/events?token=${encodeURIComponent(file.ownerToken)}`);
        s.on('open', () => {
          r(true);
          s.close();
        });
        s.on('error', () => r(false));
      });
      expect(socketOpen).toBe(true);
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('refuses --allow-write of a folder that does not exist (exit 2)', () => {
    const r = bullpen([
      'serve',
      '--port',
      '0',
      '--json',
      '--workspace',
      join(tmp.dir, 'x.duckdb'),
      '--allow-write',
      join(tmp.dir, 'missing'),
    ]);
    expect(r.code).toBe(2);
    expect(r.json.error?.code).toBe('BAD_ALLOW_WRITE');
  });
});

describe('writeAtomically (real files): a reader sees the old file or the whole new one, never a part', () => {
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;
  beforeAll(async () => {
    tmp = await tempWorkspace();
  });
  afterAll(async () => {
    await tmp.cleanup();
  });

  it('keeps the old file while writing, and replaces it only once the write finished', async () => {
    const target = join(tmp.dir, 'predictions.csv');
    writeFileSync(target, 'old\n');
    let seenDuringWrite = '';
    await writeAtomically(target, (temp) => {
      writeFileSync(temp, 'new part one\n');
      seenDuringWrite = readFileSync(target, 'utf8');
      writeFileSync(temp, 'new part one\nnew part two\n');
    });
    expect(seenDuringWrite).toBe('old\n');
    expect(readFileSync(target, 'utf8')).toBe('new part one\nnew part two\n');
    expect(leftovers(tmp.dir)).toEqual([]);
  });

  it('removes the half-written temp file and keeps the old one when the writer fails midway', async () => {
    const target = join(tmp.dir, 'export.parquet');
    writeFileSync(target, 'old\n');
    const err = await writeAtomically(target, (temp) => {
      writeFileSync(temp, 'half of it');
      throw new Error('the disk filled up');
    }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('the disk filled up');
    expect(readFileSync(target, 'utf8')).toBe('old\n');
    expect(leftovers(tmp.dir)).toEqual([]);
  });

  it('refuses at the last moment to rename over a DuckDB file that appeared while it wrote, and leaves nothing', async () => {
    const target = join(tmp.dir, 'late.duckdb');
    const err = await writeAtomically(
      target,
      async (temp) => {
        writeFileSync(temp, 'export');
        const ws = await Workspace.open(target);
        ws.close();
      },
      { workspacePath: tmp.path },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BullpenError);
    expect((err as BullpenError).code).toBe('WOULD_OVERWRITE_DATABASE');
    expect(isDuckDbFile(target)).toBe(true);
    expect(leftovers(tmp.dir)).toEqual([]);
  });
});

describe('every op that names files asks the path policy', () => {
  /** A valid input of each file-taking op, its file fields pointing at /etc. Add a new file-taking op here. */
  const outsideInputs: Record<string, Record<string, unknown>> = {
    'data.importRetrosheet': { files: ['/etc/passwd'] },
    'data.importOdds': { files: ['/etc/passwd'] },
    'data.importGames': { files: ['/etc/passwd'] },
    'data.export': { table: 'teams', out: '/etc/bullpen-export.csv' },
    'features.register': { file: '/etc/passwd' },
    'features.export': { set: 'default', out: '/etc/bullpen-export.csv' },
    'ml.predict': { model: 'any', input: '/etc/passwd', out: '/etc/bullpen-predictions.csv' },
    'ml.validate': { model: 'any', policy: '/etc/passwd', out: '/etc/bullpen-report.html' },
    'ml.validations.html': { id: 'any', out: '/etc/bullpen-report.html' },
    'ml.policy.set': { file: '/etc/passwd' },
    'ml.optimize': { target: 'home_win', features: 'default', trials: 2, space: '/etc/passwd' },
    'ml.sweeps.export': { id: 'any', out: '/etc/bullpen-journal.jsonl' },
    'deploy.start': { model: 'any', policy: '/etc/passwd' },
    'deploy.replay': { model: 'any', season: 2016, policy: '/etc/passwd' },
  };
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;
  let engine: Engine;
  beforeAll(async () => {
    tmp = await tempWorkspace();
    engine = await Engine.open({ workspacePath: tmp.path });
  });
  afterAll(async () => {
    await engine.close();
    await tmp.cleanup();
  });

  it('lists exactly the contract ops whose CLI spec declares file fields', () => {
    const withFiles = Object.entries(contract as Record<string, OpDef>)
      .filter(([, def]) => (def.cli?.files ?? []).length > 0)
      .map(([name]) => name)
      .sort();
    expect(Object.keys(outsideInputs).sort()).toEqual(withFiles);
  });

  it('refuses each of them a path outside the upload and export folders for a remote caller', async () => {
    for (const [op, input] of Object.entries(outsideInputs)) {
      const r = await dispatch(engine, op, input, REMOTE_CALLER);
      expect(r.ok, op).toBe(false);
      if (!r.ok) expect(r.error.code, op).toBe('PATH_NOT_ALLOWED');
    }
    expect(existsSync('/etc/bullpen-export.csv')).toBe(false);
    expect(existsSync('/etc/bullpen-report.html')).toBe(false);
    expect(existsSync('/etc/bullpen-journal.jsonl')).toBe(false);
  });
});
