import type { ImportanceArtifact } from '../../shared/results';
export type { ImportanceArtifact };

export function importanceArtifact(features: string[], folds: { gain: ArrayLike<number>; split: ArrayLike<number> }[]): ImportanceArtifact {
  const n = features.length;
  const mean = (pick: (f: { gain: ArrayLike<number>; split: ArrayLike<number> }) => ArrayLike<number>) =>
    Array.from({ length: n }, (_v, j) => folds.reduce((s, f) => s + pick(f)[j], 0) / Math.max(1, folds.length));
  const share = Array.from(
    { length: n },
    (_v, j) =>
      folds.reduce((s, f) => {
        let total = 0;
        for (let k = 0; k < n; k++) total += f.gain[k];
        return s + (total > 0 ? f.gain[j] / total : 0);
      }, 0) / Math.max(1, folds.length),
  );
  return {
    features,
    folds: folds.map((f) => ({ gain: Array.from(f.gain), split: Array.from(f.split) })),
    meanGain: mean((f) => f.gain),
    meanSplit: mean((f) => f.split),
    meanGainShare: share,
  };
}
