import type { Fold } from '../../../../src-workers/compute/cv';

/**
 * Deals folds to `groups` workers so their training work is balanced: largest training set first, each
 * to the group with the least work so far (LPT scheduling). Each group becomes one worker task that bins
 * the matrix once and subsets it for its folds.
 */
export function foldGroups(folds: readonly Fold[], groups: number): Fold[][] {
  const n = Math.max(1, Math.min(groups, folds.length));
  const out: Fold[][] = Array.from({ length: n }, () => []);
  const load = new Array<number>(n).fill(0);
  for (const f of [...folds].sort((a, b) => b.train.length - a.train.length || a.index - b.index)) {
    let g = 0;
    for (let k = 1; k < n; k++) if (load[k] < load[g]) g = k;
    out[g].push(f);
    load[g] += f.train.length;
  }
  return out.map((list) => list.sort((a, b) => a.index - b.index));
}
