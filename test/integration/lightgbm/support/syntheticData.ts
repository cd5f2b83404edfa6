// Deterministic synthetic data for LightGBM tests and benchmarks: full-precision doubles, missing
// values, integer-coded categorical columns, weights and binary, regression or multiclass labels.

export interface SyntheticOptions {
  rows: number;
  cols: number;
  seed?: number;
  /** Fraction of feature values replaced by NaN. */
  missingRate?: number;
  /** Columns holding category codes 0..categories-1 instead of reals. */
  categorical?: readonly number[];
  categories?: number;
  /** 'binary' (0/1), 'regression' or a number of classes for multiclass labels 0..k-1. */
  target?: 'binary' | 'regression' | number;
  weights?: boolean;
}

export interface SyntheticData {
  rows: number;
  cols: number;
  /** Row-major features. */
  data: Float64Array;
  label: Float64Array;
  weight?: Float64Array;
}

/** A small, fast, seedable generator (mulberry32) so every run and every language sees the same data. */
export function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function syntheticData(options: SyntheticOptions): SyntheticData {
  const { rows, cols, seed = 1, missingRate = 0, categorical = [], categories = 6, target = 'binary', weights = false } = options;
  const random = randomSource(seed);
  const data = new Float64Array(rows * cols);
  const label = new Float64Array(rows);
  const weight = weights ? new Float64Array(rows) : undefined;
  const effects = Array.from({ length: cols }, () => random() * 2 - 1);
  const categoryEffects = Array.from({ length: categories }, () => random() * 2 - 1);
  const classes = typeof target === 'number' ? target : 0;
  for (let r = 0; r < rows; r++) {
    let score = 0;
    const classScores = new Float64Array(Math.max(classes, 1));
    for (let c = 0; c < cols; c++) {
      const isCategorical = categorical.includes(c);
      const value = isCategorical ? Math.floor(random() * categories) : random() * 4 - 2;
      const contribution = isCategorical ? categoryEffects[value] : effects[c] * value + (c % 3 === 0 ? Math.sin(3 * value) : 0);
      score += contribution;
      if (classes > 0) classScores[c % classes] += contribution;
      data[r * cols + c] = random() < missingRate ? Number.NaN : value;
    }
    const noise = random() - 0.5;
    if (target === 'regression') label[r] = score + noise;
    else if (target === 'binary') label[r] = score + noise > 0 ? 1 : 0;
    else label[r] = argmax(classScores.map((s) => s + noise * random()));
    // Multiples of 1/64 read back exactly from any text format (LightGBM parses .weight files imprecisely).
    if (weight) weight[r] = 0.5 + Math.floor(random() * 64) / 64;
  }
  return { rows, cols, data, label, weight };
}

function argmax(values: Float64Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** Rows [start, end) of a row-major matrix. */
export function sliceRows(set: SyntheticData, start: number, end: number): SyntheticData {
  return {
    rows: end - start,
    cols: set.cols,
    data: set.data.slice(start * set.cols, end * set.cols),
    label: set.label.slice(start, end),
    weight: set.weight?.slice(start, end),
  };
}
