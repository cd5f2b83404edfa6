import type { ValidationCharts } from '../../../shared/results';
import { html, type SafeHtml } from './html';

/**
 * Importance stability as a heat table: one row per top feature, one column per CV fold, each cell the
 * feature's gain rank in that fold (1 = most important), darker for a higher rank. A stable model shows the
 * same dark cells in every column; the spread column says how far a feature's rank moves between folds.
 * A table rather than SVG because feature names are long and should wrap and be selectable.
 * ranksByFold[fold][i] is the rank of features[i] in that fold. Returns null when there is nothing to show.
 */
export function importanceTable(chart: ValidationCharts['importanceStability']): SafeHtml | null {
  const { features, ranksByFold } = chart;
  if (features.length === 0 || ranksByFold.length === 0) return null;
  const k = features.length;
  const shade = (rank: number | undefined): string => {
    if (rank === undefined || !Number.isFinite(rank) || rank < 1) return '';
    if (rank > k) return 'background:#eef1f4;color:#57606a';
    // Rank 1 is the darkest; the top-k fade toward a light tint.
    const t = k === 1 ? 0 : (rank - 1) / (k - 1);
    const lightness = Math.round(32 + t * 56);
    return `background:hsl(212,70%,${lightness}%);color:${lightness < 60 ? '#fff' : '#1f2328'}`;
  };
  const header = ranksByFold.map((_, f) => html`<th scope="col">Fold ${f + 1}</th>`);
  const rows = features.map((name, i) => {
    const ranks = ranksByFold.map((fold) => fold[i] as number | undefined);
    const known = ranks.filter((r): r is number => r !== undefined && Number.isFinite(r));
    const spread = known.length > 0 ? Math.max(...known) - Math.min(...known) : null;
    const cells = ranks.map((r) => html`<td class="rank" style="${shade(r)}">${r === undefined ? '—' : r}</td>`);
    return html`<tr>
      <th scope="row" class="feature">${name}</th>
      ${cells}
      <td class="spread">${spread === null ? '—' : spread}</td>
    </tr>`;
  });
  return html`<table class="heat" data-chart="importance">
    <caption>
      Gain rank of the top ${k} features in each CV fold (1 = most important; grey beyond the top ${k})
    </caption>
    <thead>
      <tr>
        <th scope="col">Feature</th>
        ${header}
        <th scope="col">Spread</th>
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}
