import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineProcess } from '../../../src-main/api/host/engineProcess';
import { startServer, type RunningServer } from '../../../src-main/api/http/server';
import { Engine } from '../../../src-main/engine/engine';
import { buildDemo } from '../../../src-main/engine/demo/buildDemo';
import { liveClock } from '../../../src-main/engine/operations/clock';
import { DEFAULT_OPS_POLICY } from '../../../src-main/shared/operations/opsPolicy';
import { deployPredictResultSchema } from '../../../src-main/shared/results/operations';
import { errorCode, rawExchange } from '../../support/rawHttp';
import { tempWorkspace } from '../../support/waitForEvent';
import { FAST, runJobResult } from '../ml/mlWorkspace';
import { demoDay, deploymentsOf, registerInProduction } from '../operations/deploymentFixtures';

/**
 * POST /api/v1/predict in serve mode, over real sockets to a server whose engine runs in its own process
 * (as `bullpen serve` runs it): the token is required, the body is validated naming the field, and a
 * good request scores the games and logs them with via 'api'.
 */
describe('POST /api/v1/predict: token-protected, validated, logged', () => {
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;
  let engine: EngineProcess;
  let server: RunningServer;
  let host: string;
  let day: { day: string; games: number };
  let gameIds: string[];

  const post = (body: string, token?: string, target = '/api/v1/predict'): string =>
    `POST ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
    `${token ? `Authorization: Bearer ${token}\r\n` : ''}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  const predict = (body: unknown, token: string | null = server.token) =>
    rawExchange(server.port, post(JSON.stringify(body), token ?? undefined));

  /** The deployment's prediction log, as any client reads it (the served engine holds the workspace file). */
  async function logRows(): Promise<{ via: string; gameId: string }[]> {
    const r = await rawExchange(server.port, post(JSON.stringify({ name: 'champ' }), server.token, '/api/ops/deploy.predictions'));
    if (r.status !== 200) throw new Error(`deploy.predictions answered ${r.status}: ${r.body}`);
    return JSON.parse(r.body) as { via: string; gameId: string }[];
  }

  beforeAll(async () => {
    tmp = await tempWorkspace();
    // The workspace is prepared in this process, then closed: the served engine process opens it alone.
    const setup = await Engine.open({ workspacePath: tmp.path });
    try {
      await buildDemo(setup.workspace, { seed: 7, firstSeason: 2010, lastSeason: 2012, marketInefficiency: true, scoringShift: false });
      await setup.validations.setPolicy('autoValidate: false\n', 'the test policy');
      await runJobResult(setup, 'ml.train', { train: '2010', valid: '2011', name: 'api-a', ...FAST });
      await registerInProduction(setup, 'api-a', 'champ');
      await deploymentsOf(setup).start(
        { model: 'champ', policy: DEFAULT_OPS_POLICY, policyText: null },
        { replayId: null, clock: liveClock },
      );
      day = await demoDay(setup, 2012, 30);
      gameIds = (
        await setup.workspace.all<{ game_id: string }>(`SELECT game_id FROM games WHERE strftime(date, '%Y-%m-%d') = ? ORDER BY game_id`, [
          day.day,
        ])
      ).map((r) => r.game_id);
    } finally {
      await setup.close();
    }
    engine = await EngineProcess.start({ workspacePath: tmp.path });
    server = await startServer({ transport: engine, port: 0 });
    host = `127.0.0.1:${server.port}`;
  });

  afterAll(async () => {
    await server?.close();
    await engine?.stop();
    await tmp?.cleanup();
  });

  it('refuses a request without the token or with a wrong one (401), scoring nothing', async () => {
    const none = await predict({ deployment: 'champ', date: day.day }, null);
    expect(none.status).toBe(401);
    expect(errorCode(none.body)).toBe('UNAUTHORIZED');
    const wrong = await predict({ deployment: 'champ', date: day.day }, 'not-the-token');
    expect(wrong.status).toBe(401);
    expect(errorCode(wrong.body)).toBe('UNAUTHORIZED');
    const upper = await rawExchange(
      server.port,
      post(JSON.stringify({ deployment: 'champ', date: day.day }), undefined, '/API/v1/predict'),
    );
    expect(upper.status).toBe(401);
  });

  it.each([
    ['no deployment', {}, /deployment/],
    ['a deployment that is not a name', { deployment: '../champ' }, /deployment: a deployment name uses letters/],
    ['a date that is not ISO', { deployment: 'champ', date: '07/04/2012' }, /date: dates are ISO/],
    ['game ids that are not a list', { deployment: 'champ', gameIds: 'PIT201204050' }, /gameIds/],
    ['an empty game id list', { deployment: 'champ', gameIds: [] }, /gameIds/],
    [
      'a date and game ids together',
      { deployment: 'champ', date: '2012-07-04', gameIds: ['PIT201204050'] },
      /gameIds: give date or gameIds, not both/,
    ],
    ['a misspelt field', { deployment: 'champ', dat: '2012-07-04' }, /dat/],
  ])('refuses %s with 400 naming the field', async (_what, body, field) => {
    const r = await predict(body);
    expect(r.status).toBe(400);
    const error = (JSON.parse(r.body) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/^invalid input for POST \/api\/v1\/predict: /);
    expect(error.message).toMatch(field);
  });

  it('refuses a body that is not JSON, or nests too deep, with 400', async () => {
    const notJson = await rawExchange(server.port, post('{"deployment": ', server.token));
    expect(notJson.status).toBe(400);
    const deep = await rawExchange(server.port, post(`{"deployment": "champ", "x": ${'['.repeat(200)}${']'.repeat(200)}}`, server.token));
    expect(deep.status).toBe(400);
    expect(errorCode(deep.body)).toBe('JSON_TOO_DEEP');
    expect(await logRows()).toEqual([]);
  });

  it("answers a date's games scored and logs each with via 'api'", async () => {
    const r = await predict({ deployment: 'champ', date: day.day });
    expect(r.status).toBe(200);
    const out = deployPredictResultSchema.parse(JSON.parse(r.body));
    expect(out).toMatchObject({ deployment: 'champ', modelName: 'champ', version: 1, unscored: [] });
    expect(out.predictions.map((p) => p.gameId).sort()).toEqual(gameIds);
    for (const p of out.predictions) {
      expect(p.date).toBe(day.day);
      expect(p.p).toBeGreaterThan(0);
      expect(p.p).toBeLessThan(1);
    }
    const rows = await logRows();
    expect(rows).toHaveLength(day.games);
    expect(new Set(rows.map((x) => x.via))).toEqual(new Set(['api']));
  });

  it('answers listed games, the unknown ones as unscored, and an unknown deployment with 404', async () => {
    const r = await predict({ deployment: 'champ', gameIds: [gameIds[0], 'NOPE201201010'] });
    expect(r.status).toBe(200);
    const out = deployPredictResultSchema.parse(JSON.parse(r.body));
    expect(out.predictions.map((p) => p.gameId)).toEqual([gameIds[0]]);
    expect(out.unscored).toEqual([{ gameId: 'NOPE201201010', reason: 'no such game in the workspace' }]);
    const ghost = await predict({ deployment: 'ghost', date: day.day });
    expect(ghost.status).toBe(404);
    expect(errorCode(ghost.body)).toBe('DEPLOYMENT_NOT_FOUND');
  });
});
