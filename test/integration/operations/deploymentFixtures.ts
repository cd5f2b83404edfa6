import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Engine } from '../../../src-main/engine/engine';
import { DuckDbDeployments } from '../../../src-main/engine/operations/deployments/duckDbDeployments';
import type { Clock } from '../../../src-main/engine/operations/clock';
import { call, runJobResult } from '../ml/mlWorkspace';
import { LENIENT_POLICY } from '../registry/registryFixtures';

/** The deployment service over an engine's workspace, pool, models and registry (what the engine will wire). */
export function deploymentsOf(engine: Engine, live?: Clock): DuckDbDeployments {
  return new DuckDbDeployments({ workspace: engine.workspace, pool: engine.pool, models: engine.models, registry: engine.registry }, live);
}

/**
 * Puts a registered version into production the way a user does: validate its model under a policy every
 * model passes, approve the version for production, promote it.
 */
export async function promoteToProduction(engine: Engine, model: string, as: string, version: number): Promise<void> {
  await call(engine, 'settings.set', { user: 'alice' });
  const validated = await runJobResult(engine, 'ml.validate', { model, policy: LENIENT_POLICY });
  if (validated.report.status !== 'passed') throw new Error(`validation of ${model} did not pass: ${validated.report.status}`);
  await call(engine, 'registry.approve', { name: `${as}:${version}`, stage: 'production', comment: 'deployment test' });
  await call(engine, 'registry.promote', { name: `${as}:${version}`, to: 'production' });
}

/** Registers a trained model under a registry name and puts that version into production; answers the version. */
export async function registerInProduction(engine: Engine, model: string, as: string): Promise<number> {
  const v = await call(engine, 'registry.register', { model, as });
  await promoteToProduction(engine, model, as, v.version);
  return v.version;
}

/** A day of the demo's last season with at least `minGames` games, `offset` such days into it. */
export async function demoDay(engine: Engine, season: number, offset: number, minGames = 5): Promise<{ day: string; games: number }> {
  const row = await engine.workspace.one<{ d: string; n: number }>(
    `SELECT strftime(date, '%Y-%m-%d') AS d, count(*) AS n FROM games WHERE season = ? GROUP BY date HAVING count(*) >= ? ORDER BY date LIMIT 1 OFFSET ?`,
    [season, minGames, offset],
  );
  if (!row) throw new Error(`the demo has no day ${offset} of ${season} with ${minGames} games`);
  return { day: row.d, games: Number(row.n) };
}

/** Writes a games CSV of scheduled games (no scores) between demo teams, dated `date`; answers its path. */
export async function scheduleFile(engine: Engine, dir: string, date: string, games: number): Promise<string> {
  const teams = (await engine.workspace.all<{ home: string }>(`SELECT DISTINCT home FROM games ORDER BY home LIMIT ?`, [games * 2])).map(
    (r) => r.home,
  );
  const lines = ['date,game_number,home,away'];
  for (let i = 0; i < games; i++) lines.push(`${date},0,${teams[2 * i]},${teams[2 * i + 1]}`);
  const file = join(dir, `slate_${date}.csv`);
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}
