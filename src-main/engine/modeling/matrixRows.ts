import { createHash } from 'node:crypto';
import { RUNLINE_SPREAD, type FeatureMatrix } from './featureMatrix';

/** Row indices (ascending, so in date order) of the matrix whose season is in `seasons`. */
export function rowsOfSeasons(m: FeatureMatrix, seasons: readonly number[]): Int32Array {
  const want = new Set(seasons);
  const out: number[] = [];
  for (let i = 0; i < m.rows; i++) if (want.has(m.seasons[i])) out.push(i);
  return Int32Array.from(out);
}

/** A fresh row-major copy of the listed rows and their labels, ready to transfer to a worker. */
export function takeRows(m: FeatureMatrix, rows: ArrayLike<number>): { x: Float64Array<ArrayBuffer>; y: Float64Array<ArrayBuffer> } {
  const x = new Float64Array(rows.length * m.cols);
  const y = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    x.set(m.features.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols);
    y[i] = m.label[r];
  }
  return { x, y };
}

export function takeValues(v: ArrayLike<number>, rows: ArrayLike<number>): Float64Array<ArrayBuffer> {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = v[rows[i]];
  return out;
}

/** Fingerprint of exactly what a model saw: feature names, game ids, values and labels. */
export function matrixHash(m: FeatureMatrix, rows: ArrayLike<number>): string {
  const h = createHash('sha256');
  h.update(m.featureNames.join('\u0000'));
  const { x, y } = takeRows(m, rows);
  for (let i = 0; i < rows.length; i++) h.update(m.gameIds[rows[i]]);
  h.update(new Uint8Array(x.buffer));
  h.update(new Uint8Array(y.buffer));
  return h.digest('hex').slice(0, 16);
}

/** Decimal prices of the market a target is bet on: [first side, second side] at close and open. */
export function marketPrices(m: FeatureMatrix): { close: [Float64Array, Float64Array]; open: [Float64Array, Float64Array] } {
  const missing = new Float64Array(m.rows).fill(Number.NaN);
  switch (m.target) {
    case 'home_win':
      return { close: [m.odds.homeClose, m.odds.awayClose], open: [m.odds.homeOpen, m.odds.awayOpen] };
    case 'over':
      return { close: [m.odds.overPrice, m.odds.underPrice], open: [missing, missing] };
    case 'home_runline': {
      // Only games where the home side was offered at exactly the target's spread are priced for it.
      const at = (v: Float64Array) => v.map((price, i) => (m.odds.runlineHome[i] === RUNLINE_SPREAD ? price : Number.NaN));
      return { close: [at(m.odds.runlineHomePrice), at(m.odds.runlineAwayPrice)], open: [missing, missing] };
    }
  }
}

/** The matrix's games dated before `day` (rows are in date order, so a prefix), as a matrix of their own. */
export function matrixBefore(m: FeatureMatrix, day: string): FeatureMatrix {
  let k = 0;
  while (k < m.rows && m.dates[k] < day) k++;
  if (k === m.rows) return m;
  const odds = Object.fromEntries(Object.entries(m.odds).map(([key, v]) => [key, v.slice(0, k)])) as FeatureMatrix['odds'];
  return {
    ...m,
    rows: k,
    gameIds: m.gameIds.slice(0, k),
    dates: m.dates.slice(0, k),
    seasons: m.seasons.slice(0, k),
    features: m.features.slice(0, k * m.cols),
    label: m.label.slice(0, k),
    odds,
  };
}
