import type { ValidationCharts } from '../../../shared/results';
import { fmtPercent } from './format';
import { html, type SafeHtml } from './html';
import { linearScale, niceDomain, plotBox, px, ticksFor } from './svg';

const SIZE = { width: 640, height: 150, margin: { top: 34, right: 24, bottom: 40, left: 24 } };

const finite = (v: number | null): v is number => v !== null && Number.isFinite(v);

/**
 * ROI on one number line: the point estimate, its bootstrap interval, zero and the ROI gate's minimum, so a
 * reader sees at once whether the interval clears 0 (significance) and the minimum (the business gate).
 * Returns null when ROI itself could not be measured (no bets).
 */
export function roiChart(roi: ValidationCharts['roi'], minimum: number | null): SafeHtml | null {
  if (!finite(roi.value)) return null;
  const hasInterval = finite(roi.low) && finite(roi.high);
  const marks = [roi.value, 0, ...(hasInterval ? [roi.low as number, roi.high as number] : []), ...(finite(minimum) ? [minimum] : [])];
  const box = plotBox(SIZE.width, SIZE.height, SIZE.margin);
  const x = linearScale(niceDomain(marks, 0.08), [box.left, box.right]);
  const mid = (box.top + box.bottom) / 2;
  const ticks = ticksFor(x, (v) => fmtPercent(v, { signed: true, digits: Math.abs(x.domain[1] - x.domain[0]) < 0.05 ? 1 : 0 }), 6);
  const level = fmtPercent(roi.level, { digits: 0 });
  const interval = hasInterval
    ? html`<line class="interval" x1="${px(x(roi.low as number))}" x2="${px(x(roi.high as number))}" y1="${px(mid)}" y2="${px(mid)}" /><line
          class="interval-cap"
          x1="${px(x(roi.low as number))}"
          x2="${px(x(roi.low as number))}"
          y1="${px(mid - 9)}"
          y2="${px(mid + 9)}"
        /><line
          class="interval-cap"
          x1="${px(x(roi.high as number))}"
          x2="${px(x(roi.high as number))}"
          y1="${px(mid - 9)}"
          y2="${px(mid + 9)}"
        /><text class="mark-label" x="${px((x(roi.low as number) + x(roi.high as number)) / 2)}" y="${px(mid + 24)}" text-anchor="middle"
          >${level} bootstrap interval ${fmtPercent(roi.low, { signed: true })} to ${fmtPercent(roi.high, { signed: true })}</text
        >`
    : html`<text class="mark-label" x="${px(x(roi.value))}" y="${px(mid + 24)}" text-anchor="middle"
        >no bootstrap interval (too few bets)</text
      >`;
  const threshold = finite(minimum)
    ? html`<line class="threshold" x1="${px(x(minimum))}" x2="${px(x(minimum))}" y1="${px(box.top - 6)}" y2="${px(box.bottom)}" /><text
          class="threshold-label"
          x="${px(x(minimum))}"
          y="${px(box.top - 10)}"
          text-anchor="middle"
          >gate minimum ${fmtPercent(minimum, { signed: true })}</text
        >`
    : '';
  const tickMarks = ticks.map(
    (t) =>
      html`<line class="tick" x1="${px(x(t.value))}" x2="${px(x(t.value))}" y1="${px(box.bottom)}" y2="${px(box.bottom + 4)}" /><text
          class="tick-label"
          x="${px(x(t.value))}"
          y="${px(box.bottom + 16)}"
          text-anchor="middle"
          >${t.label}</text
        >`,
  );
  const title = `ROI ${fmtPercent(roi.value, { signed: true })}${hasInterval ? ` with its ${level} bootstrap interval` : ''}, against 0 and the gate minimum`;
  return html`<svg
    class="chart"
    data-chart="roi"
    viewBox="0 0 ${SIZE.width} ${SIZE.height}"
    width="${SIZE.width}"
    height="${SIZE.height}"
    role="img"
    aria-label="${title}"
  >
    <title>${title}</title>
    <line class="axis" x1="${px(box.left)}" x2="${px(box.right)}" y1="${px(box.bottom)}" y2="${px(box.bottom)}" />
    ${tickMarks}
    <line class="zero" x1="${px(x(0))}" x2="${px(x(0))}" y1="${px(box.top)}" y2="${px(box.bottom)}" />
    ${threshold}${interval}
    <circle class="estimate" cx="${px(x(roi.value))}" cy="${px(mid)}" r="5.5">
      <title>ROI ${fmtPercent(roi.value, { signed: true })}</title>
    </circle>
    <text class="axis-title" x="${px((box.left + box.right) / 2)}" y="${px(SIZE.height - 4)}" text-anchor="middle">
      Return on stakes (ROI)
    </text>
  </svg>`;
}
