import { inputError } from '../../../src-main/shared/errors';
import {
  paramActive,
  type Distribution,
  type ParamValue,
  type SearchSpace,
  type TrialParams,
} from '../../../src-main/shared/sweep/distributions';
import { gridPoint, stepCount, stepOf } from './paramValues';
import type { SampleContext, Sampler } from './sampler';
import { mix32, purposeSeed } from './seeds';

export interface GridOptions {
  /** Values a float without step contributes (evenly spaced from low to high, on the logs for a log float). */
  gridPoints?: number;
}

export const DEFAULT_GRID_POINTS = 5;
const GRID_ORDER_SALT = 0x67726964; // "grid"

/** The values a parameter contributes to the grid. */
export function gridValues(d: Distribution, opts: GridOptions = {}): ParamValue[] {
  if (d.type === 'categorical') return [...d.choices];
  if (stepOf(d) !== null) return Array.from({ length: stepCount(d) + 1 }, (_, k) => gridPoint(d, k));
  const points = opts.gridPoints ?? DEFAULT_GRID_POINTS;
  if (!Number.isInteger(points) || points < 1)
    throw inputError('SWEEP_GRID_POINTS', `gridPoints must be a positive integer, got ${points}`);
  if (d.low === d.high || points === 1) return [d.low];
  const [lo, hi] = d.log ? [Math.log(d.low), Math.log(d.high)] : [d.low, d.high];
  return Array.from({ length: points }, (_, i) => {
    if (i === 0) return d.low;
    if (i === points - 1) return d.high;
    const t = lo + ((hi - lo) * i) / (points - 1);
    return d.log ? Math.exp(t) : t;
  });
}

/**
 * The grid of a space as a tree: parameters in the space's order, each active one branching over its
 * values, a conditional one only under the values of its parent that enable it. Points are numbered
 * 0 … size − 1 by that tree's leaves, so a point is found from its number without listing the grid.
 */
class GridTree {
  readonly values: ParamValue[][];
  /** Parameters some later condition looks at: only their values change what the rest of the tree looks like. */
  private readonly referenced: Set<string>;
  private readonly memo = new Map<string, number>();
  readonly size: number;

  constructor(
    private readonly space: SearchSpace,
    opts: GridOptions,
  ) {
    this.values = space.params.map((p) => gridValues(p.distribution, opts));
    this.referenced = new Set(space.params.flatMap((p) => (p.when ? [p.when.param] : [])));
    this.size = this.count(0, {});
  }

  /** Leaves under parameter i given the values already taken. */
  private count(i: number, params: TrialParams): number {
    if (i === this.space.params.length) return 1;
    const key = `${i}|${JSON.stringify([...this.referenced].map((name) => params[name] ?? null))}`;
    const known = this.memo.get(key);
    if (known !== undefined) return known;
    const p = this.space.params[i];
    let total: number;
    if (!paramActive(p, params)) total = this.count(i + 1, params);
    else if (!this.referenced.has(p.name)) total = this.values[i].length * this.count(i + 1, params);
    else total = this.values[i].reduce<number>((sum, v) => sum + this.count(i + 1, { ...params, [p.name]: v }), 0);
    this.memo.set(key, total);
    return total;
  }

  /** The point numbered `index`. */
  point(index: number): TrialParams {
    const params: TrialParams = {};
    let rest = index;
    for (const [i, p] of this.space.params.entries()) {
      if (!paramActive(p, params)) continue;
      if (!this.referenced.has(p.name)) {
        const below = this.count(i + 1, params);
        params[p.name] = this.values[i][Math.floor(rest / below)];
        rest %= below;
        continue;
      }
      for (const v of this.values[i]) {
        const below = this.count(i + 1, { ...params, [p.name]: v });
        if (rest < below) {
          params[p.name] = v;
          break;
        }
        rest -= below;
      }
    }
    return params;
  }
}

/** How many points the grid of a space has (the trials a grid sweep needs for full coverage). */
export function gridSize(space: SearchSpace, opts: GridOptions = {}): number {
  return new GridTree(space, opts).size;
}

const FEISTEL_ROUNDS = 4;
const MAX_GRID = 2 ** 52;

/**
 * A seeded permutation of 0 … n − 1 that is computed one position at a time (no array of n entries): a
 * balanced Feistel network on the smallest even number of bits that holds n, walked along its cycle
 * until it lands below n (at most 8 steps on average, since 2^bits < 8n).
 */
export class SeededPermutation {
  private readonly half: number;
  private readonly mask: number;
  private readonly keys: number[];

  constructor(
    readonly n: number,
    seed: number,
  ) {
    let bits = Math.max(2, Math.ceil(Math.log2(Math.max(2, n))));
    if (bits % 2 === 1) bits++;
    this.half = bits / 2;
    this.mask = 2 ** this.half - 1;
    this.keys = Array.from({ length: FEISTEL_ROUNDS }, (_, r) => mix32(seed + Math.imul(r + 1, 0x9e3779b9)));
  }

  private encrypt(x: number): number {
    const base = 2 ** this.half;
    let left = Math.floor(x / base);
    let right = x % base;
    for (const key of this.keys) {
      const next = (left ^ (mix32(right ^ key) & this.mask)) >>> 0;
      left = right;
      right = next;
    }
    return left * base + right;
  }

  at(i: number): number {
    if (!(i >= 0 && i < this.n)) throw new RangeError(`position ${i} is outside 0…${this.n - 1}`);
    let x = i;
    do x = this.encrypt(x);
    while (x >= this.n);
    return x;
  }
}

/**
 * Every point of the grid once, in an order fixed by the sweep's seed: trial n takes the n-th point of a
 * seeded permutation, so any set of trial numbers covers distinct points whatever the worker count, and
 * trials 0 … size − 1 cover the grid. After that the sampler answers null and the sweep ends.
 */
export class GridSampler implements Sampler {
  readonly name = 'grid';
  private cache: { space: SearchSpace; seed: number; tree: GridTree; order: SeededPermutation } | null = null;

  /** With the sweep's space and seed the grid is planned (and a too-large grid refused) before the first trial. */
  constructor(
    private readonly opts: GridOptions = {},
    prepare?: { space: SearchSpace; seed: number },
  ) {
    if (prepare) this.plan(prepare.space, prepare.seed);
  }

  private plan(space: SearchSpace, seed: number): { tree: GridTree; order: SeededPermutation } {
    if (this.cache && this.cache.space === space && this.cache.seed === seed) return this.cache;
    const tree = new GridTree(space, this.opts);
    if (tree.size > MAX_GRID) {
      throw inputError(
        'SWEEP_GRID_TOO_LARGE',
        `The search space's grid has ${tree.size.toExponential(2)} points, too many to enumerate; give its floats a step or fewer grid points, or use --sampler tpe`,
        { size: tree.size },
      );
    }
    this.cache = { space, seed, tree, order: new SeededPermutation(tree.size, purposeSeed(seed, GRID_ORDER_SALT)) };
    return this.cache;
  }

  sample(ctx: SampleContext): TrialParams | null {
    const { tree, order } = this.plan(ctx.space, ctx.seed);
    if (ctx.trialNumber >= tree.size) return null;
    return tree.point(order.at(ctx.trialNumber));
  }
}
