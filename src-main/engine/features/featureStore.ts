import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { BullpenError, inputError } from '../../shared/errors';
import type { Workspace } from '../workspace/workspace';
import { exportFormatFor, exportQuery, type ExportFormat } from '../data/exportTable';
import { computeFeatureTable, quoteIdent } from './computeFeatures';
import { withFeatureSandbox } from './sandbox/featureSandbox';
import {
  featureDefinitionInputSchema,
  inferDependencies,
  registrationFileSchema,
  type FeatureDefinitionParsed,
  type FeatureSetInput,
} from './definitionSchema';
import { checkLeakage, type LeakageReport } from './leakageGuard';
import { closingMarketsSql, targetSql } from '../modeling/featureMatrix';
import { dataHash, materializeSet } from './materialize';
import { ensureBuiltinsIn, getDefinition, resolveSet, writeDefinition, writeSet, allDefinitions, currentVersions } from './definitionStore';

/** With fewer completed games there is no earlier game to protect, so the check cannot say anything. */
const MIN_GAMES_FOR_LEAKAGE_CHECK = 2;

/** Reads a registration file (JSON or YAML) into definitions and sets, naming the file in every error. */
export function readRegistrationFile(path: string): { features: FeatureDefinitionParsed[]; sets: FeatureSetInput[] } {
  let raw: unknown;
  try {
    const text = readFileSync(path, 'utf8');
    raw = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw inputError('FILE_UNREADABLE', `cannot read feature definitions from ${path}: ${(err as Error).message}`, { file: path });
  }
  const parsed = registrationFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw inputError('INVALID_DEFINITION', `${path}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`, {
      file: path,
      issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
    });
  }
  const v = parsed.data;
  if (Array.isArray(v)) return { features: v, sets: [] };
  if ('computation' in v) return { features: [featureDefinitionInputSchema.parse(v)], sets: [] };
  return { features: v.features, sets: v.sets };
}

export interface RegisterResult {
  features: { name: string; version: number; outcome: string; leakage: LeakageReport | null }[];
  sets: string[];
}

/**
 * Registers definitions and sets. Every new computation is leakage-checked first (with the features it
 * reads) on the workspace's games; a leaking definition is refused and nothing is registered.
 */
export async function registerFeatures(
  ws: Workspace,
  input: { features: FeatureDefinitionParsed[]; sets: FeatureSetInput[] },
  opts: { skipLeakageCheck?: boolean } = {},
): Promise<RegisterResult> {
  await ensureBuiltinsIn(ws);
  const known = [...(await currentVersions(ws)).keys(), ...input.features.map((f) => f.name)];
  const reports = new Map<string, LeakageReport | null>();
  const games = Number(await ws.value(`SELECT count(*) FROM games WHERE home_score IS NOT NULL`));
  for (const f of input.features) {
    const deps = f.dependencies ?? inferDependencies(f.computation, known);
    const existing = (await allDefinitions(ws)).filter((d) => d.name === f.name);
    const unchanged = existing.some((d) => d.computation.replace(/\s+/g, ' ').trim() === f.computation.replace(/\s+/g, ' ').trim());
    if (unchanged) {
      reports.set(f.name, null);
      continue;
    }
    const closure = [{ name: f.name, version: 0, computation: f.computation, dependencies: deps }];
    const pending = deps.filter((d) => d.startsWith('feature:')).map((d) => d.slice(8));
    while (pending.length) {
      const n = pending.pop() as string;
      if (closure.some((c) => c.name === n)) continue;
      const inFile = input.features.find((x) => x.name === n);
      const d = inFile
        ? {
            name: n,
            version: 0,
            computation: inFile.computation,
            dependencies: inFile.dependencies ?? inferDependencies(inFile.computation, known),
          }
        : await getDefinition(ws, n);
      closure.push(d);
      pending.push(...d.dependencies.filter((x) => x.startsWith('feature:')).map((x) => x.slice(8)));
    }
    if (opts.skipLeakageCheck || games < MIN_GAMES_FOR_LEAKAGE_CHECK) {
      // Even unchecked for leakage, a computation must run in the sandbox once: one SELECT that works.
      await withFeatureSandbox(ws, closure, (sandbox) => computeFeatureTable(sandbox, closure, 'registration_check'));
      reports.set(f.name, null);
      continue;
    }
    const report = await checkLeakage(ws, closure);
    const own = report.leaks.find((l) => l.feature === f.name);
    if (own) {
      throw new BullpenError(
        'negative',
        'FEATURE_LEAKS',
        `feature ${f.name} is not point-in-time: changing results on or after ${own.cutoff} moved its value for ${own.movedGames} game(s) that start before those results exist (e.g. ${own.example.gameId} on ${own.example.date}: ${own.example.before} -> ${own.example.after}); it reads the current or a future game's outcome. Nothing was registered.`,
        { feature: f.name, leak: own },
      );
    }
    reports.set(f.name, report);
  }
  return ws.transaction(async (sql) => {
    const out: RegisterResult['features'] = [];
    for (const f of input.features) {
      const r = await writeDefinition(sql, f, false);
      const report = reports.get(f.name) ?? null;
      if (report)
        await sql.run(`UPDATE feature_definitions SET leakage_check = ?::JSON WHERE name = ? AND version = ?`, [
          JSON.stringify({ passed: report.passed, cutoffs: report.cutoffs, checkedAt: new Date().toISOString() }),
          r.name,
          r.version,
        ]);
      out.push({ ...r, leakage: report });
    }
    for (const s of input.sets) await writeSet(sql, s);
    return { features: out, sets: input.sets.map((s) => s.name) };
  });
}

/** Leakage check of a whole set (or of named features), without changing anything. */
export async function checkSetLeakage(
  ws: Workspace,
  setName: string,
  cutoffs?: string[],
): Promise<LeakageReport & { set: string; contentHash: string }> {
  await ensureBuiltinsIn(ws);
  const set = await resolveSet(ws, setName);
  // The guard replays every feature in the sandbox (about 13 s on 17 seasons): its verdict on the default cutoffs
  // is kept per set content and data fingerprint, so re-validating a model does not pay for it again.
  const cacheKey = cutoffs ? null : `leakage:${set.contentHash}:${await dataHash(ws)}`;
  if (cacheKey) {
    const cached = await ws.meta(cacheKey);
    if (cached) return { ...(JSON.parse(cached) as LeakageReport), set: setName, contentHash: set.contentHash };
  }
  const report = await checkLeakage(ws, set.features, { cutoffs });
  if (cacheKey) await ws.setMeta(cacheKey, JSON.stringify(report));
  return { ...report, set: setName, contentHash: set.contentHash };
}

/** Writes a set's materialized values with game id, date, season and all three targets. */
export async function exportFeatureSet(ws: Workspace, setName: string, out: string, requested?: ExportFormat) {
  const format = exportFormatFor(out, requested);
  const mat = await materializeSet(ws, setName);
  const names = mat.features.map((f) => `m.${quoteIdent(f.name)}`).join(', ');
  const select = `SELECT m.game_id, m.date, m.season, ${names}, ${targetSql.home_win} AS home_win, ${targetSql.over} AS over, ${targetSql.home_runline} AS home_runline, g.synthetic
    FROM ${quoteIdent(mat.tableName)} m JOIN games g USING (game_id) LEFT JOIN (${closingMarketsSql}) c USING (game_id) ORDER BY m.date, m.game_number, m.game_id`;
  const rows = await exportQuery(ws, select, format, out);
  return { set: setName, contentHash: mat.contentHash, out, format, rows, features: mat.features.length };
}
