import { z } from 'zod';
import { cvSchemeSchema } from '../vocabulary';
import { count, isoDate, measured } from './numbers';

/**
 * One fold of a cross-validation, the only fold shape: the job result, `folds.json` and the fold
 * timeline all carry it. Dates are inclusive; purged and embargoed count training games dropped
 * around the test window.
 */
export const cvFoldSchema = z.object({
  /** 0-based; people read fold index + 1. */
  index: count,
  trainStart: isoDate,
  trainEnd: isoDate,
  testStart: isoDate,
  testEnd: isoDate,
  trainGames: count,
  /** Training games held back for early stopping inside the fold. */
  innerValidGames: count,
  testGames: count,
  purged: count,
  embargoed: count,
  /** The season of the test window for season-aware schemes, else null. */
  testSeason: z.number().int().nullable(),
  /**
   * cpcv only: the split's test groups (0-based) and their date ranges; testStart..testEnd then spans
   * them, training groups between them included. Absent for the forward schemes (one test window).
   */
  testGroups: z.array(count).optional(),
  testWindows: z.array(z.object({ start: isoDate, end: isoDate })).optional(),
  bestIteration: count,
  logLoss: measured,
  accuracy: measured,
  auc: measured,
  brier: measured,
  ece: measured,
});
export type CvFold = z.output<typeof cvFoldSchema>;

/** `folds.json`: the scheme and every fold of a CV run. */
export const foldsArtifactSchema = z.object({ scheme: cvSchemeSchema, folds: z.array(cvFoldSchema) });
export type FoldsArtifact = z.output<typeof foldsArtifactSchema>;

/**
 * `paths.json` (cpcv runs only): the N date groups, each split's test groups (fold = split index), and the
 * backtest paths: paths[j][g] is the split whose prediction path j takes for the games of group g, so a
 * path predicts every game once (López de Prado's φ = k·C(N,k)/N paths). Read it with pathPredictions
 * (engine/evaluation/cv/cvPaths.ts).
 */
export const cvPathsArtifactSchema = z.object({
  groups: z.array(z.object({ index: count, start: isoDate, end: isoDate, games: count })).min(2),
  /** k: how many groups each split tests. */
  testGroups: z.number().int().min(1),
  splits: z.array(z.object({ index: count, testGroups: z.array(count).min(1) })).min(1),
  paths: z.array(z.array(count)).min(1),
});
export type CvPathsArtifact = z.output<typeof cvPathsArtifactSchema>;

/**
 * One out-of-fold prediction (a row of `oof.csv`): the game, its test fold (1-based), its label and p.
 * A cpcv run has one row per (game, split that tested it): fold = split index + 1.
 */
export const oofRowSchema = z.object({
  gameId: z.string().min(1),
  date: isoDate,
  season: z.number().int(),
  fold: z.number().int().min(1),
  label: z.number(),
  p: z.number().min(0).max(1),
});
export type OofRow = z.output<typeof oofRowSchema>;

/** The columns of `oof.csv`, in order. */
export const OOF_COLUMNS = ['game_id', 'date', 'season', 'fold', 'label', 'p'] as const;
