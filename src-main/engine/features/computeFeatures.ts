import { inputError } from '../../shared/errors';
import { buildEloTable } from './elo';
import type { FeatureSandbox } from './sandbox/featureSandbox';

export interface ComputableFeature {
  name: string;
  version: number;
  computation: string;
  dependencies: string[];
}

/** Views worth computing once per run: they are read by many features. */
const CACHEABLE_VIEWS = ['team_form_pre', 'sp_form_pre', 'park_factors_pre', 'market_pre'];

export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Orders features so each comes after the features it reads; a cycle or a missing feature is an input error. */
export function orderByDependencies(features: ComputableFeature[]): ComputableFeature[] {
  const byName = new Map(features.map((f) => [f.name, f]));
  const out: ComputableFeature[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (f: ComputableFeature, path: string[]) => {
    if (state.get(f.name) === 'done') return;
    if (state.get(f.name) === 'visiting')
      throw inputError('FEATURE_CYCLE', `feature dependencies form a cycle: ${[...path, f.name].join(' -> ')}`);
    state.set(f.name, 'visiting');
    for (const d of f.dependencies.filter((x) => x.startsWith('feature:'))) {
      const dep = byName.get(d.slice('feature:'.length));
      if (!dep)
        throw inputError('FEATURE_DEPENDENCY_MISSING', `feature ${f.name} reads ${d}, which is not in the set being computed`, {
          feature: f.name,
          dependency: d,
        });
      visit(dep, [...path, f.name]);
    }
    state.set(f.name, 'done');
    out.push(f);
  };
  for (const f of features) visit(f, []);
  return out;
}

/**
 * Computes features into TEMP tables `feat_<name>` (game_id, value) inside the sandbox and then one
 * wide TEMP table `target` with a column per feature, one row per game in (date, game number) order.
 * Reads the sandbox's copies, so a leakage check can perturb them freely.
 */
export async function computeFeatureTable(sandbox: FeatureSandbox, features: ComputableFeature[], target: string): Promise<void> {
  const sql = sandbox.sql;
  const ordered = orderByDependencies(features);
  const deps = new Set(ordered.flatMap((f) => f.dependencies));
  for (const view of CACHEABLE_VIEWS) {
    if (deps.has(view)) await sql.run(`CREATE OR REPLACE TEMP TABLE ${view} AS SELECT * FROM main.${view}`);
  }
  // elo_pre exists only as this temp table; always build it when asked for, and when a user's
  // computation mentions it without declaring it.
  if (deps.has('elo_pre') || ordered.some((f) => /\belo_pre\b/.test(f.computation))) await buildEloTable(sql);
  for (const f of ordered) {
    const table = `feat_${f.name}`;
    await sandbox.runComputation(f.name, f.version, f.computation, table);
    const dupes = Number(await sql.value(`SELECT count(*) - count(DISTINCT game_id) FROM ${quoteIdent(table)}`));
    if (dupes > 0) {
      throw inputError(
        'FEATURE_NOT_ONE_ROW_PER_GAME',
        `feature ${f.name} v${f.version} returned ${dupes} duplicate game_id rows; a computation must return at most one row per game`,
        { feature: f.name, version: f.version },
      );
    }
  }
  const cols = ordered.map((f, i) => `f${i}.value AS ${quoteIdent(f.name)}`);
  const joins = ordered.map((f, i) => `LEFT JOIN ${quoteIdent(`feat_${f.name}`)} f${i} ON f${i}.game_id = g.game_id`);
  await sql.run(`CREATE OR REPLACE TEMP TABLE ${quoteIdent(target)} AS
    SELECT g.game_id, g.date, g.season, g.game_number${cols.length ? ', ' + cols.join(', ') : ''}
    FROM games g ${joins.join(' ')}
    WHERE g.status <> 'postponed'
    ORDER BY g.date, g.game_number, g.game_id`);
}
