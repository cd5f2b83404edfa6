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

/** One out-of-fold prediction (a row of `oof.csv`): the game, its test fold (1-based), its label and p. */
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
