/** Copies the listed rows of a row-major matrix (to predict a fold, or to build a Dataset the naive way). */
export function pickRows(x: Float64Array, cols: number, rows: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows.length * cols);
  for (let i = 0; i < rows.length; i++) out.set(x.subarray(rows[i] * cols, rows[i] * cols + cols), i * cols);
  return out;
}

export function pickValues(v: Float64Array, rows: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = v[rows[i]];
  return out;
}
