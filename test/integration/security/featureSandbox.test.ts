import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Workspace } from '../../../src-main/engine/workspace/workspace';
import { importRetrosheet } from '../../../src-main/engine/data/retrosheetImporter';
import { importGenericOdds } from '../../../src-main/engine/data/genericOddsImporter';
import { checkSetLeakage, registerFeatures } from '../../../src-main/engine/features/featureStore';
import { materializeSet } from '../../../src-main/engine/features/materialize';
import { ensureBuiltins, writeDefinition, writeSet } from '../../../src-main/engine/features/definitionStore';
import { FeatureSandbox } from '../../../src-main/engine/features/sandbox/featureSandbox';
import { BullpenError } from '../../../src-main/shared/errors';
import { fingerprint, fixture, tempWorkspace } from '../data/workspaceFixture';

/**
 * Feature computations are user SQL. Each escape below once worked against the workspace (files written,
 * files read into error messages, data committed or deleted); now every one must be refused or confined
 * to the sandbox's discarded copy, with the workspace's data byte-for-byte unchanged.
 */
let ws: Workspace;
let dispose: () => void;
let outside: string;

beforeAll(async () => {
  ({ ws, dispose } = await tempWorkspace());
  await importRetrosheet(ws, [fixture('retrosheet', 'GL2016mini.TXT')]);
  await importGenericOdds(ws, [fixture('odds', 'mini_generic_american.csv')]);
  // Registration first installs the built-in definitions; install them now so fingerprints compare data only.
  await ws.transaction((sql) => ensureBuiltins(sql));
  outside = mkdtempSync(join(tmpdir(), 'bullpen-escape-'));
});
afterAll(() => {
  dispose();
  rmSync(outside, { recursive: true, force: true });
});
afterEach(() => {
  // Nothing any attack tried may have written a file outside the sandbox.
  expect(readdirSync(outside)).toEqual([]);
});

const definition = (name: string, computation: string) => ({
  name,
  description: 'attack',
  dtype: 'double' as const,
  computation,
  freshnessSlaHours: 24,
  owner: 'mallory',
  tags: [],
});

/** Registers one definition and returns the error it was refused with. */
async function refusal(name: string, computation: string, opts: { skipLeakageCheck?: boolean } = {}): Promise<BullpenError> {
  const err = await registerFeatures(ws, { features: [definition(name, computation)], sets: [] }, opts).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BullpenError);
  return err as BullpenError;
}

const escapes = (dir: string): { name: string; computation: string; code: RegExp }[] => [
  {
    name: 'copy_out',
    computation: `SELECT game_id, 1 AS value FROM games) q; COPY games TO '${dir}/games.csv'; SELECT * FROM (SELECT 1`,
    code: /FEATURE_SQL/,
  },
  { name: 'copy_only', computation: `COPY games TO '${dir}/games2.csv'`, code: /FEATURE_SQL_NOT_SELECT|FEATURE_COMPUTATION_FAILED/ },
  {
    name: 'read_file',
    computation: `SELECT game_id, CAST((SELECT content FROM read_text('/etc/passwd')) AS DOUBLE) AS value FROM games`,
    code: /FEATURE_COMPUTATION_FAILED/,
  },
  {
    name: 'glob_dir',
    computation: `SELECT game_id, (SELECT count(*) FROM glob('/root/*'))::DOUBLE AS value FROM games`,
    code: /FEATURE_COMPUTATION_FAILED/,
  },
  {
    name: 'attach_db',
    computation: `SELECT game_id, 1 AS value FROM games) q; ATTACH '${dir}/evil.duckdb' AS evil; SELECT * FROM (SELECT 1`,
    code: /FEATURE_SQL/,
  },
  {
    name: 'install_ext',
    computation: `SELECT game_id, 1 AS value FROM games) q; INSTALL httpfs FROM 'http://127.0.0.1:9/'; SELECT * FROM (SELECT 1`,
    code: /FEATURE_SQL/,
  },
  {
    name: 'commit_guard',
    computation: `SELECT game_id, 1 AS value FROM games) q; COMMIT; BEGIN TRANSACTION; SELECT * FROM (SELECT 1`,
    code: /FEATURE_SQL/,
  },
  {
    name: 'delete_odds',
    computation: `SELECT game_id, 1 AS value FROM games) q; DELETE FROM odds; SELECT * FROM (SELECT 1`,
    code: /FEATURE_SQL/,
  },
  { name: 'comment_tail', computation: `SELECT game_id, 1 AS value FROM games --`, code: /never/ },
  { name: 'set_config', computation: `SET enable_external_access = true`, code: /FEATURE_SQL_NOT_SELECT/ },
  { name: 'pragma', computation: `PRAGMA database_list`, code: /FEATURE_SQL_NOT_(SELECT|ONE_STATEMENT)/ },
];

describe('feature SQL runs only in the sandbox', () => {
  for (const attack of escapes('OUTSIDE')) {
    if (attack.name === 'comment_tail') continue;
    it(`features register refuses the ${attack.name} escape and leaves the workspace unchanged`, async () => {
      const { computation, code } = escapes(outside).find((a) => a.name === attack.name) ?? attack;
      const before = await fingerprint(ws);
      const err = await refusal(`x_${attack.name}`, computation);
      expect(err.code).toMatch(code);
      expect(err.message).not.toMatch(/root:.*:0:0/);
      expect(await fingerprint(ws)).toEqual(before);
    });
  }

  it('lets a trailing line comment neither swallow the wrapper nor fail a sound computation', async () => {
    const r = await registerFeatures(ws, {
      features: [definition('commented', 'SELECT game_id, 1 AS value FROM games -- one per game')],
      sets: [],
    });
    expect(r.features[0].outcome).toBe('created');
  });

  it('refuses a non-SELECT even when the leakage check is skipped', async () => {
    const before = await fingerprint(ws);
    const err = await refusal(
      'skip_copy',
      `SELECT game_id, 1 AS value FROM games) q; COPY games TO '${outside}/skip.csv'; SELECT * FROM (SELECT 1`,
      { skipLeakageCheck: true },
    );
    expect(err.code).toMatch(/FEATURE_SQL/);
    expect(await fingerprint(ws)).toEqual(before);
  });

  it('reads no file into an error message', async () => {
    const err = await refusal(
      'leak_text',
      `SELECT game_id, CAST((SELECT content FROM read_text('/etc/hostname')) AS DOUBLE) AS value FROM games`,
    );
    expect(err.message).toMatch(/disabled by configuration/);
  });

  it('materialize refuses a malicious definition that reached the catalog before the sandbox existed', async () => {
    // An old workspace (or a hand-edited one) may already hold a bad definition: write it past registration.
    const computation = `SELECT game_id, 1 AS value FROM games) q; DELETE FROM games; COPY odds TO '${outside}/odds.csv'; SELECT * FROM (SELECT 1`;
    await ws.transaction(async (sql) => {
      await writeDefinition(sql, definition('old_bad', computation), false);
      await writeSet(sql, { name: 'old_bad_set', features: ['old_bad'] });
    });
    const before = await fingerprint(ws);
    const err = await materializeSet(ws, 'old_bad_set').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as BullpenError).code).toMatch(/FEATURE_SQL/);
    expect(await fingerprint(ws)).toEqual(before);
    const leak = await checkSetLeakage(ws, 'old_bad_set').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((leak as BullpenError).code).toMatch(/FEATURE_SQL/);
    expect(await fingerprint(ws)).toEqual(before);
  });

  it('perturbs only the sandbox copy: after a leakage check the games keep their real scores', async () => {
    const before = await fingerprint(ws);
    const report = await checkSetLeakage(ws, 'default');
    expect(report.checkedGames).toBeGreaterThan(0);
    expect(report.passed).toBe(true);
    expect(await fingerprint(ws)).toEqual(before);
  });

  it('still catches a leaking feature inside the sandbox', async () => {
    const err = await refusal('own_result', `SELECT game_id, CASE WHEN home_score > away_score THEN 1 ELSE 0 END AS value FROM games`);
    expect(err.code).toBe('FEATURE_LEAKS');
  });

  it('stops a computation that runs past the time limit', async () => {
    process.env.BULLPEN_FEATURE_SQL_TIMEOUT_MS = '300';
    try {
      const err = await refusal('slow', `SELECT game_id, (SELECT sum(range) FROM range(10000000000))::DOUBLE AS value FROM games`, {
        skipLeakageCheck: true,
      });
      expect(err.code).toBe('FEATURE_TIMEOUT');
    } finally {
      delete process.env.BULLPEN_FEATURE_SQL_TIMEOUT_MS;
    }
  });

  it('stops a computation that needs more than the memory limit', async () => {
    process.env.BULLPEN_FEATURE_SQL_MEMORY = '64MB';
    try {
      const err = await refusal('hungry', `SELECT game_id, (SELECT len(list(range)) FROM range(100000000))::DOUBLE AS value FROM games`, {
        skipLeakageCheck: true,
      });
      expect(err.code).toBe('FEATURE_MEMORY');
    } finally {
      delete process.env.BULLPEN_FEATURE_SQL_MEMORY;
    }
  });

  it('removes its exchange folder on close, after a failure too', async () => {
    const sandbox = await FeatureSandbox.fromWorkspace(ws);
    const dir = sandbox.exchangeDir;
    expect(existsSync(dir)).toBe(true);
    await expect(sandbox.runComputation('bad', 1, 'SELECT nope FROM games', 'feat_bad')).rejects.toThrow(/FEATURE_COMPUTATION_FAILED|nope/);
    sandbox.close();
    expect(existsSync(dir)).toBe(false);
  });
});
