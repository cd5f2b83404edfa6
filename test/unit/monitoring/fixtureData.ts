import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The samples behind test/fixtures/monitoring/reference.json, rebuilt exactly as make_reference.py builds
 * them: the same 32-bit LCG and only +, −, ×, ÷ and floor, which doubles evaluate identically in both
 * languages. Each case's checksum proves the rebuild before any statistic is compared.
 */

export type SampleSpec =
  | { kind: 'normal'; n: number; seed: number; loc?: number; scale?: number; decimals?: number; missing?: number }
  | { kind: 'int'; n: number; seed: number; k: number; offset?: number; missing?: number }
  | { kind: 'constant'; n: number; seed: number; value: number; missing?: number };

export interface Checksum {
  n: number;
  missing: number;
  sum: number;
}

interface Pair {
  name: string;
  reference: SampleSpec;
  current: SampleSpec;
  checksum: { reference: Checksum; current: Checksum };
}

export interface KsCase extends Pair {
  statistic: number;
  pValue: number;
  method: 'exact' | 'asymptotic';
  asymptoticBranch: string | null;
}

export interface DistanceCase extends Pair {
  psi: number | null;
  binCounts: { reference: number[]; current: number[] } | null;
  jensenShannon: number | null;
  wasserstein: number;
  wassersteinNormalized: number | null;
}

export interface CategoricalCase {
  name: string;
  reference: Record<string, number>;
  current: Record<string, number>;
  categories: string[];
  psi: number;
  jensenShannon: number;
}

export interface ReferenceFixture {
  versions: { numpy: string; scipy: string };
  epsilon: number;
  ks: KsCase[];
  distances: DistanceCase[];
  categorical: CategoricalCase[];
  kstwo: { n: number; x: number; sf: number; branch: string }[];
}

export function loadReference(): ReferenceFixture {
  return JSON.parse(readFileSync(resolve(__dirname, '../../fixtures/monitoring/reference.json'), 'utf8')) as ReferenceFixture;
}

const TWO32 = 4294967296;

class Lcg {
  private state: number;
  constructor(seed: number) {
    this.state = (seed * 2654435761 + 12345) % TWO32;
    for (let i = 0; i < 4; i++) this.next();
  }
  next(): number {
    this.state = (1664525 * this.state + 1013904223) % TWO32;
    return this.state / TWO32;
  }
}

export function generate(spec: SampleSpec): Float64Array {
  const rng = new Lcg(spec.seed);
  const out = new Float64Array(spec.n);
  for (let i = 0; i < spec.n; i++) {
    let x: number;
    if (spec.kind === 'normal') {
      let s = 0;
      for (let k = 0; k < 12; k++) s += rng.next();
      x = (spec.loc ?? 0) + (spec.scale ?? 1) * (s - 6);
      if (spec.decimals !== undefined) {
        const f = 10 ** spec.decimals;
        x = Math.floor(x * f) / f;
      }
    } else if (spec.kind === 'int') {
      x = Math.floor(rng.next() * spec.k) + (spec.offset ?? 0);
    } else {
      x = spec.value;
    }
    if ((spec.missing ?? 0) > 0 && rng.next() < (spec.missing ?? 0)) x = Number.NaN;
    out[i] = x;
  }
  return out;
}

/** Count, missing count and an exactly rounded sum (Neumaier), to compare with Python's math.fsum. */
export function checksum(x: Float64Array): Checksum {
  let sum = 0;
  let c = 0;
  let missing = 0;
  for (const v of x) {
    if (Number.isNaN(v)) {
      missing++;
      continue;
    }
    const t = sum + v;
    c += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return { n: x.length, missing, sum: sum + c };
}

/** A categorical sample from counts, in category order. */
export function fromCounts(counts: Record<string, number>): string[] {
  return Object.entries(counts).flatMap(([k, n]) => Array.from({ length: n }, () => k));
}
