import type { Direction } from '../../../src-main/shared/sweep/trials';

/**
 * Multi-objective bookkeeping as Optuna's: objective values turned into losses (maximized ones negated),
 * non-dominated ranks, the Pareto front, hypervolume and the greedy hypervolume subset selection MOTPE
 * breaks ties with. A NaN value is the worst possible (+∞ loss), as Optuna treats a missing value.
 */

export type Point = readonly number[];

/** Objective values as losses: a maximized objective negated, NaN as +∞. */
export function toLoss(values: Point, directions: readonly Direction[]): number[] {
  if (values.length !== directions.length) throw new Error(`expected ${directions.length} objective values, got ${values.length}`);
  return values.map((v, i) => (Number.isNaN(v) ? Infinity : directions[i] === 'maximize' ? -v : v));
}

/** True when loss vector a dominates b: no worse in every objective and better in at least one. */
export function dominates(a: Point, b: Point): boolean {
  let better = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] > b[i]) return false;
    if (a[i] < b[i]) better = true;
  }
  return better;
}

/**
 * Non-dominated sorting of loss vectors (Deb's fast non-dominated sort): rank 0 is the Pareto front,
 * rank 1 the front once rank 0 is removed, and so on. Equal vectors share a rank.
 */
export function nonDominatedRanksOfLosses(losses: readonly Point[]): number[] {
  const n = losses.length;
  const dominatedBy = new Array<number>(n).fill(0);
  const dominating: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (dominates(losses[i], losses[j])) {
        dominating[i].push(j);
        dominatedBy[j]++;
      } else if (dominates(losses[j], losses[i])) {
        dominating[j].push(i);
        dominatedBy[i]++;
      }
    }
  }
  const ranks = new Array<number>(n).fill(-1);
  let front = ranks.map((_, i) => i).filter((i) => dominatedBy[i] === 0);
  for (let rank = 0; front.length > 0; rank++) {
    const next: number[] = [];
    for (const i of front) {
      ranks[i] = rank;
      for (const j of dominating[i]) if (--dominatedBy[j] === 0) next.push(j);
    }
    front = next;
  }
  return ranks;
}

/** Non-dominated ranks of objective vectors under their directions. */
export function nonDominatedRanks(values: readonly Point[], directions: readonly Direction[]): number[] {
  return nonDominatedRanksOfLosses(values.map((v) => toLoss(v, directions)));
}

/** Indices (in input order) of the Pareto front: the vectors no other one dominates (duplicates all stay). */
export function paretoFront(values: readonly Point[], directions: readonly Direction[]): number[] {
  const ranks = nonDominatedRanks(values, directions);
  return ranks.flatMap((r, i) => (r === 0 ? [i] : []));
}

const EPS = 1e-12;

/**
 * Optuna's reference point for a set of losses: 10% beyond the worst value of each objective
 * (max(1.1·w, 0.9·w), so also for negative w), and a tiny positive number where that is 0.
 */
export function referencePoint(losses: readonly Point[]): number[] {
  if (losses.length === 0) throw new Error('a reference point needs at least one point');
  return losses[0].map((_, i) => {
    const worst = Math.max(...losses.map((p) => p[i]));
    const r = Math.max(1.1 * worst, 0.9 * worst);
    return r === 0 ? EPS : r;
  });
}

function lexCompare(a: Point, b: Point): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** The distinct non-dominated vectors of a set, sorted lexicographically. */
function nonDominatedUnique(points: readonly Point[]): Point[] {
  const sorted = [...points].sort(lexCompare);
  const out: Point[] = [];
  for (const p of sorted) {
    if (out.length > 0 && lexCompare(out[out.length - 1], p) === 0) continue;
    // Lexicographic order: only an earlier vector can dominate a later one.
    if (out.some((q) => dominates(q, p))) continue;
    out.push(p);
  }
  return out;
}

function boxVolume(p: Point, ref: Point): number {
  let v = 1;
  for (let i = 0; i < p.length; i++) v *= ref[i] - p[i];
  return v;
}

/** 2-D: sweep the front in increasing first loss (so decreasing second), adding each point's slab. */
function hypervolume2d(front: readonly Point[], ref: Point): number {
  let volume = 0;
  let ceiling = ref[1];
  for (const p of front) {
    volume += (ref[0] - p[0]) * (ceiling - p[1]);
    ceiling = p[1];
  }
  return volume;
}

/**
 * WFG (While, Bradstreet, Barone 2012): the volume is the sum of each point's exclusive volume, its box
 * minus what the points after it cover inside that box (their vectors limited by it), recursively.
 * Exact in any dimension; exponential in the worst case, fast for the fronts of a sweep.
 */
function hypervolumeWfg(front: readonly Point[], ref: Point): number {
  if (front.length === 0) return 0;
  if (front.length === 1) return boxVolume(front[0], ref);
  if (ref.length === 2) return hypervolume2d(front, ref);
  let volume = 0;
  for (let i = 0; i < front.length; i++) {
    const p = front[i];
    const limited = front.slice(i + 1).map((q) => q.map((v, j) => Math.max(v, p[j])));
    volume += boxVolume(p, ref) - hypervolumeWfg(nonDominatedUnique(limited), ref);
  }
  return volume;
}

/**
 * The volume of loss space dominated by the points and bounded by the reference point (exact, any
 * dimension). Points not strictly better than the reference in every objective add nothing.
 */
export function hypervolumeOfLosses(losses: readonly Point[], ref: Point): number {
  if (ref.some((r) => !Number.isFinite(r))) throw new Error('the reference point must be finite');
  const inside = losses.filter((p) => p.length === ref.length && p.every((v, i) => v < ref[i]));
  if (inside.length === 0) return 0;
  if (ref.length === 1) return ref[0] - Math.min(...inside.map((p) => p[0]));
  return hypervolumeWfg(nonDominatedUnique(inside), ref);
}

/** Hypervolume of objective vectors under their directions; `reference` is in the objectives' own units. */
export function hypervolume(values: readonly Point[], directions: readonly Direction[], reference: Point): number {
  return hypervolumeOfLosses(
    values.map((v) => toLoss(v, directions)),
    toLoss(reference, directions),
  );
}

/**
 * Greedy hypervolume subset selection (Optuna's _solve_hssp): picks k of the points, each time the one
 * adding the most hypervolume to those picked (a 1 − 1/e approximation), among distinct vectors taken in
 * lexicographic order (ties go to the first); duplicates only fill up when there are fewer distinct
 * vectors than k. Answers indices into `losses`.
 */
export function selectHypervolumeSubset(losses: readonly Point[], k: number, ref: Point): number[] {
  const n = losses.length;
  if (k >= n) return losses.map((_, i) => i);
  if (k <= 0) return [];
  // Distinct vectors, each by its first index, in lexicographic order (numpy's unique with return_index).
  const byVector = losses.map((p, i) => i).sort((i, j) => lexCompare(losses[i], losses[j]) || i - j);
  const unique: number[] = [];
  for (const i of byVector) if (unique.length === 0 || lexCompare(losses[unique[unique.length - 1]], losses[i]) !== 0) unique.push(i);
  if (unique.length < k) {
    const chosen = new Set(unique);
    for (let i = 0; i < n && chosen.size < k; i++) chosen.add(i);
    return [...chosen].sort((a, b) => a - b);
  }
  if (ref.some((r) => !Number.isFinite(r))) return unique.slice(0, k);
  const picked: number[] = [];
  const pickedPoints: Point[] = [];
  let current = 0;
  const remaining = [...unique];
  while (picked.length < k) {
    let best = -1;
    let bestGain = -Infinity;
    let bestVolume = current;
    for (const [r, i] of remaining.entries()) {
      const volume = hypervolumeOfLosses([...pickedPoints, losses[i]], ref);
      if (volume - current > bestGain) {
        best = r;
        bestGain = volume - current;
        bestVolume = volume;
      }
    }
    const [i] = remaining.splice(best, 1);
    picked.push(i);
    pickedPoints.push(losses[i]);
    current = bestVolume;
  }
  return picked;
}
