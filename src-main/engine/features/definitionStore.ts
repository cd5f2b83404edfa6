import { createHash } from 'node:crypto';
import { inputError, notFoundError } from '../../shared/errors';
import type { Sql } from '../workspace/sql';
import type { Workspace } from '../workspace/workspace';
import { builtinFeatures, DEFAULT_SET } from './builtinFeatures';
import { inferDependencies, type FeatureDefinition, type FeatureDefinitionParsed, type FeatureSetInput } from './definitionSchema';

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
/** Whitespace never makes a new version: the hash is over the computation with runs of spaces collapsed. */
export const computationHash = (computation: string) => sha256(computation.replace(/\s+/g, ' ').trim());

type DefRow = {
  name: string;
  version: number;
  description: string;
  dtype: string;
  computation: string;
  computation_hash: string;
  dependencies: string;
  freshness_sla_hours: number;
  owner: string;
  tags: string;
  builtin: boolean;
  created_at: Date;
};

const DEF_SELECT = `SELECT name, version, description, dtype, computation, computation_hash, dependencies::VARCHAR AS dependencies,
  freshness_sla_hours, owner, tags::VARCHAR AS tags, builtin, created_at FROM feature_definitions`;

const toDefinition = (r: DefRow): FeatureDefinition => ({
  name: r.name,
  version: r.version,
  description: r.description,
  dtype: r.dtype as FeatureDefinition['dtype'],
  computation: r.computation,
  computationHash: r.computation_hash,
  dependencies: JSON.parse(r.dependencies) as string[],
  freshnessSlaHours: r.freshness_sla_hours,
  owner: r.owner,
  tags: JSON.parse(r.tags) as string[],
  builtin: r.builtin,
  createdAt: new Date(r.created_at).toISOString(),
});

export async function allDefinitions(sql: Sql): Promise<FeatureDefinition[]> {
  return (await sql.all<DefRow>(`${DEF_SELECT} ORDER BY name, version`)).map(toDefinition);
}

export async function currentVersions(sql: Sql): Promise<Map<string, number>> {
  return new Map(
    (await sql.all<{ name: string; version: number }>(`SELECT name, version FROM feature_current`)).map((r) => [r.name, r.version]),
  );
}

export async function getDefinition(sql: Sql, name: string, version?: number): Promise<FeatureDefinition> {
  const v = version ?? (await currentVersions(sql)).get(name);
  const row = v === undefined ? undefined : await sql.one<DefRow>(`${DEF_SELECT} WHERE name = ? AND version = ?`, [name, v]);
  if (!row)
    throw notFoundError('FEATURE_NOT_FOUND', `no feature ${name}${version ? ` version ${version}` : ''}; see \`bullpen features list\``, {
      name,
      version: version ?? null,
    });
  return toDefinition(row);
}

export type RegisterOutcome = 'created' | 'new-version' | 'metadata-updated' | 'unchanged';

/**
 * Adds a definition: a new name is version 1; a changed computation becomes the next version and the
 * current one; a metadata-only change updates the current version in place. Old versions stay servable.
 */
export async function writeDefinition(
  sql: Sql,
  def: FeatureDefinitionParsed,
  builtin: boolean,
): Promise<{ name: string; version: number; outcome: RegisterOutcome }> {
  const known = (await sql.all<{ name: string }>(`SELECT DISTINCT name FROM feature_definitions`)).map((r) => r.name);
  const dependencies = def.dependencies ?? inferDependencies(def.computation, known);
  const hash = computationHash(def.computation);
  const latest = await sql.one<{ version: number; computation_hash: string }>(
    `SELECT version, computation_hash FROM feature_definitions WHERE name = ? ORDER BY version DESC LIMIT 1`,
    [def.name],
  );
  const same = await sql.one<{ version: number }>(
    `SELECT version FROM feature_definitions WHERE name = ? AND computation_hash = ? ORDER BY version DESC LIMIT 1`,
    [def.name, hash],
  );
  const meta = [def.description, def.dtype, JSON.stringify(dependencies), def.freshnessSlaHours, def.owner, JSON.stringify(def.tags)];
  if (same) {
    const changed = Number(
      await sql.value(
        `SELECT count(*) FROM feature_definitions WHERE name = ? AND version = ? AND (description <> ? OR dtype <> ? OR dependencies::VARCHAR <> ? OR freshness_sla_hours <> ? OR owner <> ? OR tags::VARCHAR <> ?)`,
        [def.name, same.version, ...meta],
      ),
    );
    if (changed) {
      await sql.run(
        `UPDATE feature_definitions SET description = ?, dtype = ?, dependencies = ?::JSON, freshness_sla_hours = ?, owner = ?, tags = ?::JSON WHERE name = ? AND version = ?`,
        [...meta, def.name, same.version],
      );
    }
    return { name: def.name, version: same.version, outcome: changed ? 'metadata-updated' : 'unchanged' };
  }
  const version = (latest?.version ?? 0) + 1;
  await sql.run(`INSERT INTO feature_definitions VALUES (?, ?, ?, ?, ?, ?, ?::JSON, ?, ?, ?::JSON, ?, NULL, now())`, [
    def.name,
    version,
    def.description,
    def.dtype,
    def.computation,
    hash,
    JSON.stringify(dependencies),
    def.freshnessSlaHours,
    def.owner,
    JSON.stringify(def.tags),
    builtin,
  ]);
  await sql.run(`INSERT OR REPLACE INTO feature_current VALUES (?, ?, now())`, [def.name, version]);
  return { name: def.name, version, outcome: latest ? 'new-version' : 'created' };
}

/** Makes an older (or newer) version current again; without a version, the one before the current. */
export async function rollbackFeature(sql: Sql, name: string, version?: number): Promise<{ name: string; from: number; to: number }> {
  const current = (await currentVersions(sql)).get(name);
  if (current === undefined) throw notFoundError('FEATURE_NOT_FOUND', `no feature ${name}`, { name });
  const to =
    version ?? Number(await sql.value(`SELECT max(version) FROM feature_definitions WHERE name = ? AND version < ?`, [name, current]));
  if (!to || Number.isNaN(to))
    throw inputError('NO_EARLIER_VERSION', `feature ${name} has no version before ${current} to roll back to`, { name, current });
  await getDefinition(sql, name, to);
  await sql.run(`INSERT OR REPLACE INTO feature_current VALUES (?, ?, now())`, [name, to]);
  return { name, from: current, to };
}

export async function writeSet(sql: Sql, set: FeatureSetInput, builtin = false): Promise<void> {
  const current = await currentVersions(sql);
  for (const ref of set.features) {
    const [name, v] = ref.split('@');
    if (!current.has(name))
      throw inputError('FEATURE_NOT_FOUND', `feature set ${set.name} names ${name}, which is not registered`, {
        set: set.name,
        feature: name,
      });
    if (v) await getDefinition(sql, name, Number(v));
  }
  await sql.run(`INSERT OR REPLACE INTO feature_sets VALUES (?, ?, ?::JSON, ?, now())`, [
    set.name,
    set.description ?? '',
    JSON.stringify(set.features),
    builtin,
  ]);
}

/** Of the given feature versions, the names of those whose definitions carry `tag`, sorted. */
export async function featuresWithTag(sql: Sql, features: { name: string; version: number }[], tag: string): Promise<string[]> {
  if (features.length === 0) return [];
  const rows = await sql.all<{ name: string; tags: string }>(
    `SELECT name, tags::VARCHAR AS tags FROM feature_definitions WHERE (name, version) IN (${features.map(() => '(?, ?)').join(', ')})`,
    features.flatMap((f) => [f.name, f.version]),
  );
  return rows
    .filter((r) => (JSON.parse(r.tags) as string[]).includes(tag))
    .map((r) => r.name)
    .sort();
}

export interface FeatureSetSummary {
  name: string;
  description: string;
  /** Feature references as the set names them (`name` for the current version, `name@3` pinned). */
  features: string[];
}

export async function listSets(sql: Sql): Promise<FeatureSetSummary[]> {
  const sets = await sql.all<{ name: string; description: string; features: string }>(
    `SELECT name, description, features::VARCHAR AS features FROM feature_sets ORDER BY name`,
  );
  return sets.map((s) => ({ name: s.name, description: s.description, features: JSON.parse(s.features) as string[] }));
}

export interface ResolvedSet {
  name: string;
  description: string;
  features: FeatureDefinition[];
  contentHash: string;
}

/** The exact versions a set means right now, and the content hash that names that combination. */
export async function resolveSet(sql: Sql, name: string): Promise<ResolvedSet> {
  const row = await sql.one<{ features: string; description: string }>(
    `SELECT features::VARCHAR AS features, description FROM feature_sets WHERE name = ?`,
    [name],
  );
  if (!row) {
    const sets = (await sql.all<{ name: string }>(`SELECT name FROM feature_sets ORDER BY name`)).map((r) => r.name);
    throw notFoundError('FEATURE_SET_NOT_FOUND', `no feature set ${name}; sets: ${sets.join(', ') || '(none)'}`, { set: name });
  }
  const refs = JSON.parse(row.features) as string[];
  const features: FeatureDefinition[] = [];
  for (const ref of refs) {
    const [n, v] = ref.split('@');
    features.push(await getDefinition(sql, n, v ? Number(v) : undefined));
  }
  return { name, description: row.description, features, contentHash: setContentHash(features) };
}

export function setContentHash(features: { name: string; version: number; computationHash: string }[]): string {
  return sha256(
    features
      .map((f) => `${f.name}@${f.version}:${f.computationHash}`)
      .sort()
      .join('\n'),
  );
}

/**
 * Registers the built-in definitions and the default set when missing or changed by a newer build.
 * Idempotent; cheap when nothing changed.
 */
export async function ensureBuiltins(sql: Sql): Promise<void> {
  const existing = new Set(
    (await sql.all<{ k: string }>(`SELECT name || '|' || computation_hash AS k FROM feature_definitions WHERE builtin`)).map((r) => r.k),
  );
  const known = (f: FeatureDefinitionParsed) => existing.has(`${f.name}|${computationHash(f.computation)}`);
  const hasSet = Number(await sql.value(`SELECT count(*) FROM feature_sets WHERE name = ?`, [DEFAULT_SET])) > 0;
  if (hasSet && builtinFeatures.every(known)) return;
  for (const f of builtinFeatures) {
    if (!known(f)) await writeDefinition(sql, f, true);
  }
  if (!hasSet) {
    await writeSet(
      sql,
      {
        name: DEFAULT_SET,
        description: 'Built-in point-in-time features: team form, splits, rest, streaks, Elo, starting pitchers, parks, market',
        features: builtinFeatures.map((f) => f.name),
      },
      true,
    );
  }
}

/** One built-in registration at a time per workspace: two screens reading features at once must not both insert. */
const builtinsQueue = new WeakMap<Workspace, Promise<void>>();

/**
 * ensureBuiltins in its own transaction, serialized per workspace: concurrent first reads of a fresh
 * workspace (several screens loading, a CLI call beside the UI) would otherwise race on the same keys.
 */
export function ensureBuiltinsIn(ws: Workspace): Promise<void> {
  const next = (builtinsQueue.get(ws) ?? Promise.resolve()).catch(() => undefined).then(() => ws.transaction((sql) => ensureBuiltins(sql)));
  builtinsQueue.set(ws, next);
  return next;
}
