import type { Sql } from '../workspace/sql';
import { sourceInputs, type FeatureDefinition } from './definitionSchema';
import { allMaterializations, dataHash } from './materialize';
import { allDefinitions, currentVersions, getDefinition } from './definitionStore';
import { loadQuality, DEGRADED_MISSING_RATE, type FeatureQuality } from './quality';

export type Freshness = 'fresh' | 'stale' | 'outdated' | 'never';

export interface CatalogEntry {
  name: string;
  currentVersion: number;
  versions: number[];
  description: string;
  dtype: string;
  owner: string;
  tags: string[];
  builtin: boolean;
  sets: string[];
  usedBy: { kind: string; id: string; version: number }[];
  lastMaterializedAt: string | null;
  freshness: Freshness;
  freshnessSlaHours: number;
  degraded: boolean;
}

const HOUR_MS = 3_600_000;

/**
 * The catalog: every feature with its versions, sets, users, freshness against its SLA (outdated when
 * the data changed since the last materialization) and a degraded flag from the latest quality stats.
 */
export async function catalog(sql: Sql): Promise<CatalogEntry[]> {
  const defs = await allDefinitions(sql);
  const current = await currentVersions(sql);
  const sets = await sql.all<{ name: string; features: string }>(`SELECT name, features::VARCHAR AS features FROM feature_sets`);
  const usage = await sql.all<{ feature: string; version: number; consumer_kind: string; consumer_id: string }>(
    `SELECT DISTINCT feature, version, consumer_kind, consumer_id FROM feature_usage`,
  );
  const mats = await allMaterializations(sql);
  const nowHash = await dataHash(sql);
  const latestQuality = new Map<string, FeatureQuality>();
  for (const m of mats.slice().reverse()) for (const q of await loadQuality(sql, m.id)) latestQuality.set(q.feature, q);
  const byName = new Map<string, FeatureDefinition[]>();
  for (const d of defs) byName.set(d.name, [...(byName.get(d.name) ?? []), d]);
  return [...byName.entries()].map(([name, versions]) => {
    const cur = versions.find((v) => v.version === current.get(name)) ?? versions[versions.length - 1];
    const matsWith = mats.filter((m) => m.features.some((f) => f.name === name && f.version === cur.version));
    const last = matsWith[0];
    let freshness: Freshness = 'never';
    if (last) {
      const ageHours = (Date.now() - Date.parse(last.createdAt)) / HOUR_MS;
      freshness = last.dataHash !== nowHash ? 'outdated' : ageHours > cur.freshnessSlaHours ? 'stale' : 'fresh';
    }
    const q = latestQuality.get(name);
    return {
      name,
      currentVersion: cur.version,
      versions: versions.map((v) => v.version),
      description: cur.description,
      dtype: cur.dtype,
      owner: cur.owner,
      tags: cur.tags,
      builtin: cur.builtin,
      sets: sets.filter((s) => (JSON.parse(s.features) as string[]).some((r) => r.split('@')[0] === name)).map((s) => s.name),
      usedBy: usage.filter((u) => u.feature === name).map((u) => ({ kind: u.consumer_kind, id: u.consumer_id, version: u.version })),
      lastMaterializedAt: last?.createdAt ?? null,
      freshness,
      freshnessSlaHours: cur.freshnessSlaHours,
      degraded: q ? !q.schemaOk || q.missingRate > DEGRADED_MISSING_RATE : false,
    };
  });
}

/** Case-insensitive search over name, description, tags and owner; optional exact tag/owner filters. */
export async function searchCatalog(sql: Sql, query: { text?: string; tag?: string; owner?: string }): Promise<CatalogEntry[]> {
  const text = query.text?.toLowerCase().trim();
  return (await catalog(sql)).filter(
    (e) =>
      (!text || [e.name, e.description, e.owner, ...e.tags].some((s) => s.toLowerCase().includes(text))) &&
      (!query.tag || e.tags.includes(query.tag)) &&
      (!query.owner || e.owner === query.owner),
  );
}

export interface LineageGraph {
  feature: string;
  version: number;
  upstream: string[];
  downstream: string[];
  nodes: { id: string; kind: 'feature' | 'source' | 'table' | 'set' | 'consumer'; label: string }[];
  edges: { from: string; to: string }[];
}

/** What a feature reads (recursively, down to tables) and what reads it (features, sets, models), as a graph. */
export async function lineage(sql: Sql, name: string, version?: number): Promise<LineageGraph> {
  const def = await getDefinition(sql, name, version);
  const current = await currentVersions(sql);
  const defs = await allDefinitions(sql);
  const currentDefs = defs.filter((d) => current.get(d.name) === d.version);
  const nodes = new Map<string, LineageGraph['nodes'][number]>();
  const edges: LineageGraph['edges'] = [];
  const addEdge = (from: string, to: string) => {
    if (!edges.some((e) => e.from === from && e.to === to)) edges.push({ from, to });
  };
  const featureId = (n: string) => `feature:${n}`;
  nodes.set(featureId(name), { id: featureId(name), kind: 'feature', label: `${name} v${def.version}` });
  const upstream = new Set<string>();
  const walkUp = async (d: FeatureDefinition) => {
    for (const dep of d.dependencies) {
      if (dep.startsWith('feature:')) {
        const child = await getDefinition(sql, dep.slice(8));
        nodes.set(dep, { id: dep, kind: 'feature', label: `${child.name} v${child.version}` });
        addEdge(dep, featureId(d.name));
        upstream.add(dep);
        await walkUp(child);
      } else {
        const walkSource = (src: string, into: string) => {
          const isTable = !sourceInputs[src];
          const id = `${isTable ? 'table' : 'source'}:${src}`;
          nodes.set(id, { id, kind: isTable ? 'table' : 'source', label: src });
          addEdge(id, into);
          upstream.add(id);
          for (const input of sourceInputs[src] ?? []) walkSource(input, id);
        };
        walkSource(dep, featureId(d.name));
      }
    }
  };
  await walkUp(def);
  const downstream = new Set<string>();
  const walkDown = (n: string) => {
    for (const d of currentDefs.filter((x) => x.dependencies.includes(`feature:${n}`))) {
      nodes.set(featureId(d.name), { id: featureId(d.name), kind: 'feature', label: `${d.name} v${d.version}` });
      addEdge(featureId(n), featureId(d.name));
      downstream.add(featureId(d.name));
      walkDown(d.name);
    }
  };
  walkDown(name);
  for (const s of await sql.all<{ name: string; features: string }>(`SELECT name, features::VARCHAR AS features FROM feature_sets`)) {
    if ((JSON.parse(s.features) as string[]).some((r) => r.split('@')[0] === name)) {
      nodes.set(`set:${s.name}`, { id: `set:${s.name}`, kind: 'set', label: s.name });
      addEdge(featureId(name), `set:${s.name}`);
      downstream.add(`set:${s.name}`);
    }
  }
  for (const u of await sql.all<{ consumer_kind: string; consumer_id: string; set_name: string }>(
    `SELECT DISTINCT consumer_kind, consumer_id, set_name FROM feature_usage WHERE feature = ?`,
    [name],
  )) {
    const id = `${u.consumer_kind}:${u.consumer_id}`;
    nodes.set(id, { id, kind: 'consumer', label: `${u.consumer_kind} ${u.consumer_id}` });
    addEdge(`set:${u.set_name}`, id);
    downstream.add(id);
  }
  return {
    feature: name,
    version: def.version,
    upstream: [...upstream].sort(),
    downstream: [...downstream].sort(),
    nodes: [...nodes.values()],
    edges,
  };
}

/**
 * Records that a model (or any consumer) used a materialized set, so the catalog and lineage can say
 * which models depend on which feature versions. Called by the training engine.
 */
export async function recordFeatureUsage(
  sql: Sql,
  use: { setName: string; contentHash: string; features: { name: string; version: number }[]; consumerKind: string; consumerId: string },
): Promise<void> {
  for (const f of use.features) {
    await sql.run(`INSERT INTO feature_usage VALUES (?, ?, ?, ?, ?, ?, now())`, [
      f.name,
      f.version,
      use.setName,
      use.contentHash,
      use.consumerKind,
      use.consumerId,
    ]);
  }
}
