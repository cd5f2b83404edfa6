import type { ValidationCharts } from '../../../shared/results';
import { fmtCount, fmtPercent } from './format';
import { html, join, type SafeHtml } from './html';
import { chartFrame, linearScale, linePath, plotBox, px, ticksFor } from './svg';

const SIZE = { width: 420, height: 400, margin: { top: 14, right: 16, bottom: 44, left: 58 } };
const MIN_SPAN = 0.1;

/**
 * The reliability diagram: each bin's mean predicted probability against how often the predicted side won,
 * beside the diagonal of perfect calibration. Both axes share one range zoomed onto the bins that hold games,
 * since MLB probabilities sit between 0.3 and 0.7 and a full [0, 1] square would crush them into its middle.
 * Returns null when no bin holds a measured game.
 */
export function calibrationChart(bins: ValidationCharts['calibration']): SafeHtml | null {
  const used = bins.filter(
    (b): b is typeof b & { meanPredicted: number; observedRate: number } =>
      b.count > 0 && Number.isFinite(b.meanPredicted) && Number.isFinite(b.observedRate),
  );
  if (used.length === 0) return null;
  const values = used.flatMap((b) => [b.lower, b.upper, b.meanPredicted, b.observedRate]).filter(Number.isFinite);
  let lo = Math.max(0, Math.floor((Math.min(...values) - 0.02) * 20) / 20);
  let hi = Math.min(1, Math.ceil((Math.max(...values) + 0.02) * 20) / 20);
  if (hi - lo < MIN_SPAN) [lo, hi] = [Math.max(0, hi - MIN_SPAN), Math.min(1, lo + MIN_SPAN)];
  const box = plotBox(SIZE.width, SIZE.height, SIZE.margin);
  const x = linearScale([lo, hi], [box.left, box.right]);
  const y = linearScale([lo, hi], [box.bottom, box.top]);
  const maxCount = Math.max(...used.map((b) => b.count));
  const sorted = [...used].sort((a, b) => a.meanPredicted - b.meanPredicted);
  const dots = sorted.map((b) => {
    const r = 2.5 + 5.5 * Math.sqrt(b.count / maxCount);
    const label = `predicted ${fmtPercent(b.meanPredicted)}, won ${fmtPercent(b.observedRate)} of ${fmtCount(b.count)} games (bin ${fmtPercent(b.lower, { digits: 0 })}\u2013${fmtPercent(b.upper, { digits: 0 })})`;
    return html`<circle class="dot" cx="${px(x(b.meanPredicted))}" cy="${px(y(b.observedRate))}" r="${px(r)}"
      ><title>${label}</title></circle
    >`;
  });
  const body = html`<line class="reference" x1="${px(x(lo))}" y1="${px(y(lo))}" x2="${px(x(hi))}" y2="${px(y(hi))}" /><path
      class="series"
      d="${linePath(sorted.map((b) => ({ x: x(b.meanPredicted), y: y(b.observedRate) })))}"
    />${join(dots)}`;
  const format = (v: number) => fmtPercent(v, { digits: 0 });
  return chartFrame({
    id: 'calibration',
    title: 'Calibration: predicted probability against the observed win rate, per bin',
    ...SIZE,
    x: { scale: x, ticks: ticksFor(x, format), title: 'Predicted probability' },
    y: { scale: y, ticks: ticksFor(y, format), title: 'Observed win rate' },
    body,
  });
}
