import { isoToDay } from '../../../src-workers/compute/cv/dayNumbers';
import type { EvidenceGames, ValidationEvidence } from '../../../src-workers/compute/validation';
import { type ValidationPolicyInput, validationPolicySchema } from '../../../src-main/shared/validationPolicy';

/** One evaluation game: date, outcome (1 home won), the model's home probability and decimal prices (open = close unless given). */
export interface GameRow {
  date: string;
  y: 0 | 1;
  p: number;
  home: number;
  away: number;
  openHome?: number;
  openAway?: number;
}

export function gamesOf(rows: readonly GameRow[]): EvidenceGames {
  return {
    days: Int32Array.from(rows, (r) => isoToDay(r.date)),
    label: Float64Array.from(rows, (r) => r.y),
    p: Float64Array.from(rows, (r) => r.p),
    closeHome: Float64Array.from(rows, (r) => r.home),
    closeAway: Float64Array.from(rows, (r) => r.away),
    openHome: Float64Array.from(rows, (r) => r.openHome ?? r.home),
    openAway: Float64Array.from(rows, (r) => r.openAway ?? r.away),
  };
}

/** April 2016, day d (1-based), ISO. */
export function april(d: number): string {
  return `2016-04-${String(d).padStart(2, '0')}`;
}

/** Evidence with the policy's defaults under the given overrides; no CV, no guard, no CPCV unless given. */
export function evidenceOf(
  rows: readonly GameRow[],
  policy: ValidationPolicyInput = {},
  extra: Partial<ValidationEvidence> = {},
): ValidationEvidence {
  return {
    policy: validationPolicySchema.parse(policy),
    games: gamesOf(rows),
    importance: null,
    leakageGuard: { passed: true, leakingFeatures: [] },
    topFeatures: [],
    cpcv: null,
    sweepTrials: 1,
    ...extra,
  };
}
