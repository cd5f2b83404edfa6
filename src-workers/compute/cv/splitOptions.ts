import { z } from 'zod';
import { validationError } from '../../../src-main/shared/errors';

/** The defaults users expect of a walk-forward CV: 5 splits, 90-day train, 30-day test, 1-day gap, 1-day embargo. */
export const CV_DEFAULTS = { nSplits: 5, trainDays: 90, testDays: 30, gapDays: 1, embargoDays: 1 } as const;

const guardFields = {
  nSplits: z.int().min(1).default(CV_DEFAULTS.nSplits),
  /** Whole days left out between the last training date and the first test date. */
  gapDays: z.int().min(0).default(CV_DEFAULTS.gapDays),
  /** Whole days after a test window whose samples never train a model evaluated on that window. */
  embargoDays: z.int().min(0).default(CV_DEFAULTS.embargoDays),
  window: z.enum(['expanding', 'rolling']).default('expanding'),
};

/** Calendar walk-forward and within-season windows share these options. */
export const windowSplitOptionsSchema = z.object({
  ...guardFields,
  trainDays: z.int().min(1).default(CV_DEFAULTS.trainDays),
  testDays: z.int().min(1).default(CV_DEFAULTS.testDays),
});
export type WindowSplitOptions = z.input<typeof windowSplitOptionsSchema>;
export type ResolvedWindowSplitOptions = z.output<typeof windowSplitOptionsSchema>;

/** Season-forward: each test window is one whole season; training is earlier seasons (all, or the last `trainSeasons`). */
export const seasonForwardOptionsSchema = z.object({
  ...guardFields,
  /** With window 'rolling': how many seasons before the test season train the model. */
  trainSeasons: z.int().min(1).default(1),
  /** Seasons that must precede the first test season. */
  minTrainSeasons: z.int().min(1).default(1),
});
export type SeasonForwardOptions = z.input<typeof seasonForwardOptionsSchema>;
export type ResolvedSeasonForwardOptions = z.output<typeof seasonForwardOptionsSchema>;

/** Parses options with zod so a bad value becomes an input error naming the field. */
export function parseOptions<S extends z.ZodType>(schema: S, opName: string, options: unknown): z.output<S> {
  const parsed = schema.safeParse(options ?? {});
  if (!parsed.success) throw validationError(opName, parsed.error);
  return parsed.data;
}
