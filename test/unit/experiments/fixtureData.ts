import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Checksum, SampleSpec } from '../monitoring/fixtureData';

/**
 * test/fixtures/experiments/reference.json as make_reference.py writes it. The samples are the monitoring
 * fixtures' (the same LCG generator, imported by the Python script too), rebuilt with ../monitoring/fixtureData.
 */

export { checksum, generate, type SampleSpec } from '../monitoring/fixtureData';

type Pair = [number, number];
type Prior = { mean: number; sd: number } | null;

export interface CaseOptions {
  direction: 'higher' | 'lower';
  alpha: number;
  minEffect: number;
  tuning: number;
  prior: Prior;
  riskThreshold: number;
}

interface Analysis {
  options: CaseOptions;
  t: number;
  challengerMean: number;
  effect: number;
  se: number;
  relativeEffect: number;
  relativeSe: number;
  fixed: { pValue: number; df: number; ci: Pair; relativeCi: Pair; significant: boolean };
  sequential: { halfwidth: number; ci: Pair; relativeCi: Pair; pValue: number; significant: boolean };
  bayesian: {
    mean: number;
    sd: number;
    ci: Pair;
    probabilityToBeat: number;
    expectedLossChallenger: number;
    expectedLossControl: number;
    stop: boolean;
  };
  power: { fixed: number; sequential: number };
}

export interface RoutedCase extends Analysis {
  name: string;
  control: SampleSpec;
  challenger: SampleSpec;
  checksum: { control: Checksum; challenger: Checksum };
  controlMean: number;
}

export interface PairedCase extends Analysis {
  name: string;
  diffs: SampleSpec;
  controlMean: number;
  checksum: { diffs: Checksum };
}

export interface ExperimentsReference {
  versions: { numpy: string; scipy: string };
  routed: RoutedCase[];
  paired: PairedCase[];
  srm: { counts: number[]; weights: number[]; chi2: number; pValue: number }[];
  posteriors: {
    estimate: number;
    se: number;
    prior: Prior;
    mean: number;
    sd: number;
    probabilityToBeat: number;
    expectedLossChallenger: number;
    expectedLossControl: number;
  }[];
  sequential: { s2: number; n: number; tuning: number; alpha: number; rho: number; halfwidth: number }[];
  fnv: { s: string; fnv1a32: number }[];
  hashV2: { salt: string; gameId: string; hash: number }[];
}

export function loadReference(): ExperimentsReference {
  return JSON.parse(readFileSync(resolve(__dirname, '../../fixtures/experiments/reference.json'), 'utf8')) as ExperimentsReference;
}
