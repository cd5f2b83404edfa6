import { fmtDecimal } from './format';
import { html, join, type SafeHtml } from './html';
import { chartFrame, linearScale, niceDomain, niceTicks, plotBox, px, ticksFor } from './svg';

const SIZE = { width: 560, height: 240, margin: { top: 22, right: 20, bottom: 44, left: 52 } };
const MIN_BINS = 5;
const MAX_BINS = 20;
const MAX_DOTS = 40;

const finite = (v: number | null): v is number => v !== null && Number.isFinite(v);

/**
 * The distribution of annualized Sharpe ratios over the combinatorially purged CV paths: a histogram with 0
 * and the model's own Sharpe marked. A wide spread or much mass below 0 says the backtest's Sharpe could be
 * the luck of one path. Returns null when no path ran (or none had a measurable Sharpe).
 */
export function pathSharpeChart(pathSharpes: readonly (number | null)[], modelSharpe: number | null): SafeHtml | null {
  const values = pathSharpes.filter(finite);
  if (values.length === 0) return null;
  const bins = Math.min(MAX_BINS, Math.max(values.length <= MAX_DOTS ? 2 * MIN_BINS : MIN_BINS, Math.ceil(Math.sqrt(values.length))));
  const [lo, hi] = niceDomain([...values, 0, ...(finite(modelSharpe) ? [modelSharpe] : [])], 0.02);
  const width = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / width)))]++;
  const box = plotBox(SIZE.width, SIZE.height, SIZE.margin);
  const x = linearScale([lo, hi], [box.left, box.right]);
  const asDots = values.length <= MAX_DOTS;
  // Dots keep a readable size when every bin holds one path: the axis always has room for a few.
  const maxCount = Math.max(...counts, asDots ? 4 : 1);
  const y = linearScale([0, maxCount], [box.bottom, box.top]);
  const binLabel = (n: number, i: number) =>
    `${n} path${n === 1 ? '' : 's'} with Sharpe ${fmtDecimal(lo + i * width, 2)} to ${fmtDecimal(lo + (i + 1) * width, 2)}`;
  // Few paths (a 6-group, 2-test CPCV gives 5) read better as stacked dots, one per path, than as bars of height 1.
  const marks = counts.map((n, i) => {
    if (n === 0) return '';
    const x0 = x(lo + i * width);
    const x1 = x(lo + (i + 1) * width);
    if (asDots) {
      const r = Math.max(2, Math.min((x1 - x0) / 2 - 1, (y(0) - y(1)) / 2 - 1, 9));
      return Array.from(
        { length: n },
        (_, j) =>
          html`<circle class="dot" cx="${px((x0 + x1) / 2)}" cy="${px(y(j + 0.5))}" r="${px(r)}"><title>${binLabel(n, i)}</title></circle>`,
      );
    }
    return html`<rect class="bar" x="${px(x0 + 1)}" y="${px(y(n))}" width="${px(Math.max(1, x1 - x0 - 2))}" height="${px(y(0) - y(n))}"
      ><title>${binLabel(n, i)}</title></rect
    >`;
  });
  // The two labels sit on opposite sides of their lines (the plan's away from 0), so close values never overprint.
  const planLeft = finite(modelSharpe) && modelSharpe < 0;
  const marker = (value: number, cls: string, label: string, left: boolean) =>
    html`<line class="${cls}" x1="${px(x(value))}" x2="${px(x(value))}" y1="${px(box.top - 6)}" y2="${px(box.bottom)}" /><text
        class="${cls}-label"
        x="${px(x(value) + (left ? -4 : 4))}"
        y="${px(box.top - 8)}"
        text-anchor="${left ? 'end' : 'start'}"
        >${label}</text
      >`;
  const body = html`${join(marks)}${marker(0, 'zero', '0', !planLeft)}${finite(modelSharpe) ? marker(modelSharpe, 'threshold', `this plan ${fmtDecimal(modelSharpe, 2)}`, planLeft) : ''}`;
  const yTicks = niceTicks(0, maxCount, Math.min(5, maxCount))
    .filter(Number.isInteger)
    .map((value) => ({ value, label: String(value) }));
  return chartFrame({
    id: 'path-sharpes',
    title: `Annualized Sharpe ratio of ${values.length} combinatorially purged CV paths`,
    ...SIZE,
    x: { scale: x, ticks: ticksFor(x, (v) => fmtDecimal(v, Math.abs(hi - lo) < 2 ? 2 : 1), 6), title: 'Annualized Sharpe ratio of a path' },
    y: { scale: y, ticks: yTicks, title: 'Paths' },
    body,
  });
}
