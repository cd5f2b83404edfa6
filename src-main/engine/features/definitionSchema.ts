import { z } from 'zod';

/**
 * A feature definition is data: this schema is what `features register FILE` accepts (JSON or YAML)
 * and what the catalog stores. The computation is a DuckDB SELECT returning `game_id` and `value`.
 */
export const featureDtypes = ['double', 'integer', 'boolean'] as const;
/** Relations a computation may read; the *_pre views and elo_pre are point-in-time by construction. */
export const sourceRelations = [
  'games',
  'odds',
  'teams',
  'team_games',
  'team_form_pre',
  'sp_form_pre',
  'park_factors_pre',
  'market_pre',
  'elo_pre',
] as const;
/** What each derived source is computed from, for lineage. */
export const sourceInputs: Record<string, string[]> = {
  team_games: ['games'],
  team_form_pre: ['team_games'],
  sp_form_pre: ['team_games'],
  park_factors_pre: ['games'],
  market_pre: ['odds'],
  elo_pre: ['games'],
};
export const DEFAULT_FRESHNESS_SLA_HOURS = 24;

export const featureDefinitionInputSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'lower-case letters, digits and _; starting with a letter'),
    description: z.string().min(1),
    dtype: z.enum(featureDtypes).default('double'),
    computation: z.string().min(1).describe('a DuckDB SELECT returning columns game_id and value'),
    /** Source relations (`games`, `team_form_pre`…) and other features (`feature:NAME`). Inferred when omitted. */
    dependencies: z.array(z.string()).optional(),
    freshnessSlaHours: z.number().positive().default(DEFAULT_FRESHNESS_SLA_HOURS),
    owner: z.string().min(1).default('unknown'),
    tags: z.array(z.string()).default([]),
  })
  .strict();
export type FeatureDefinitionInput = z.input<typeof featureDefinitionInputSchema>;
export type FeatureDefinitionParsed = z.output<typeof featureDefinitionInputSchema>;

export const featureDefinitionSchema = featureDefinitionInputSchema.extend({
  version: z.number().int().positive(),
  dependencies: z.array(z.string()),
  computationHash: z.string(),
  builtin: z.boolean(),
  createdAt: z.string(),
});
export type FeatureDefinition = z.output<typeof featureDefinitionSchema>;

export const featureSetInputSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/),
    description: z.string().default(''),
    /** `NAME` follows the current version; `NAME@3` pins version 3. */
    features: z.array(z.string().regex(/^[a-z][a-z0-9_]*(@\d+)?$/)).min(1),
  })
  .strict();
export type FeatureSetInput = z.input<typeof featureSetInputSchema>;

/** What a registration file may hold: one definition, a list, or `{ features: [...], sets: [...] }`. */
export const registrationFileSchema = z.union([
  featureDefinitionInputSchema,
  z.array(featureDefinitionInputSchema),
  z.object({ features: z.array(featureDefinitionInputSchema).default([]), sets: z.array(featureSetInputSchema).default([]) }).strict(),
]);

/** Finds the relations and features a computation reads, when its author did not list them. */
export function inferDependencies(computation: string, knownFeatures: string[]): string[] {
  const deps = new Set<string>();
  for (const rel of sourceRelations) if (new RegExp(`\\b${rel}\\b`, 'i').test(computation)) deps.add(rel);
  for (const f of knownFeatures) if (new RegExp(`\\bfeat_${f}\\b`, 'i').test(computation)) deps.add(`feature:${f}`);
  return [...deps].sort();
}
