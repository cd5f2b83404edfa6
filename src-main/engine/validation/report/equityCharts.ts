import type { ValidationCharts } from '../../../shared/results';
import { fmtDecimal, fmtPercent } from './format';
import { html, join, type SafeHtml } from './html';
import { chartFrame, linearScale, linePath, niceDomain, plotBox, px, ticksFor, type Scale } from './svg';

const SIZE = { width: 680, height: 260, margin: { top: 16, right: 20, bottom: 44, left: 64 } };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MAX_X_TICKS = 12;

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * X ticks for one point per game day. The axis runs over game days, not calendar time, so winters between
 * seasons take no room; ticks mark each season's first game day (several seasons) or each month's (one).
 */
function gameDayTicks(dates: readonly string[], x: Scale): { value: number; label: string }[] {
  const years = new Set(dates.map((d) => d.slice(0, 4)));
  const key = (d: string) => (years.size > 1 ? d.slice(0, 4) : d.slice(0, 7));
  const ticks: { value: number; label: string }[] = [];
  dates.forEach((d, i) => {
    if (i > 0 && key(d) === key(dates[i - 1])) return;
    ticks.push({ value: i, label: years.size > 1 ? d.slice(0, 4) : (MONTHS[Number(d.slice(5, 7)) - 1] ?? d.slice(5, 7)) });
  });
  const every = Math.ceil(ticks.length / MAX_X_TICKS);
  return ticks.filter((_, i) => i % every === 0).filter((t) => t.value >= x.domain[0] && t.value <= x.domain[1]);
}

interface SeriesChart {
  id: string;
  title: string;
  yTitle: string;
  dates: readonly string[];
  values: readonly (number | null)[];
  yFormat: (v: number) => string;
  /** Horizontal reference lines (a starting bankroll, a policy limit) with their labels. */
  references: readonly { value: number; label: string; kind: 'reference' | 'threshold' }[];
  /** Fill between the line and this baseline (the drawdown's 0). */
  fillTo?: number;
  /** Grow downward (a drawdown reads as a fall). */
  inverted?: boolean;
}

/** One line per game day, with gaps where a value is missing; null when there is nothing to draw. */
function seriesChart(c: SeriesChart): SafeHtml | null {
  const n = Math.min(c.dates.length, c.values.length);
  const values = c.values.slice(0, n);
  if (!values.some(finite)) return null;
  const box = plotBox(SIZE.width, SIZE.height, SIZE.margin);
  const x = linearScale([0, Math.max(1, n - 1)], [box.left, box.right]);
  const domain = niceDomain(
    [...values.filter(finite), ...c.references.map((r) => r.value), ...(c.fillTo === undefined ? [] : [c.fillTo])],
    0.04,
  );
  // A filled series starts at its baseline (a drawdown is never below 0): no padding beyond it.
  if (c.fillTo !== undefined && values.every((v) => !finite(v) || v >= (c.fillTo as number))) domain[0] = c.fillTo;
  const y = linearScale(domain, c.inverted ? [box.top, box.bottom] : [box.bottom, box.top]);
  const points = values.map((v, i) => (finite(v) ? { x: x(i), y: y(v) } : null));
  let fill: SafeHtml | string = '';
  if (c.fillTo !== undefined) {
    // One closed area per unbroken run of values, so a gap is not bridged by the fill either.
    const base = px(y(c.fillTo));
    const areas: string[] = [];
    let run: { x: number; y: number }[] = [];
    const close = () => {
      if (run.length > 0)
        areas.push(`M${px(run[0].x)} ${base}${run.map((p) => `L${px(p.x)} ${px(p.y)}`).join('')}L${px(run[run.length - 1].x)} ${base}Z`);
      run = [];
    };
    for (const p of points) {
      if (p) run.push(p);
      else close();
    }
    close();
    fill = html`<path class="area" d="${areas.join('')}" />`;
  }
  const references = c.references.map(
    (r) =>
      html`<line class="${r.kind}" x1="${px(box.left)}" x2="${px(box.right)}" y1="${px(y(r.value))}" y2="${px(y(r.value))}" /><text
          class="${r.kind}-label"
          x="${px(box.right - 4)}"
          y="${px(y(r.value) - 5)}"
          text-anchor="end"
          >${r.label}</text
        >`,
  );
  const last = points.reduce<{ x: number; y: number } | null>((acc, p) => p ?? acc, null);
  const body = html`${fill}${join(references)}<path
      class="series"
      d="${linePath(points)}"
    />${last ? html`<circle class="end" cx="${px(last.x)}" cy="${px(last.y)}" r="3" />` : ''}`;
  return chartFrame({
    id: c.id,
    title: c.title,
    ...SIZE,
    x: { scale: x, ticks: gameDayTicks(c.dates.slice(0, n), x), title: `Game day (${n.toLocaleString('en-US')} days)` },
    y: { scale: y, ticks: ticksFor(y, c.yFormat), title: c.yTitle },
    body,
  });
}

export interface EquityCharts {
  bankroll: SafeHtml | null;
  drawdown: SafeHtml | null;
  flatUnits: SafeHtml | null;
}

/** The staking plan's bankroll, its drawdown from the running peak (against the gate's limit) and the 1-unit restake. */
export function equityCharts(equity: ValidationCharts['equity'], maxDrawdownLimit: number | null): EquityCharts {
  const dates = equity.dates;
  return {
    bankroll: seriesChart({
      id: 'equity',
      title: 'Bankroll under the staking plan, one point per game day, starting at 1',
      yTitle: 'Bankroll (start = 1)',
      dates,
      values: equity.bankroll,
      yFormat: (v) => fmtDecimal(v, 2),
      references: [{ value: 1, label: 'starting bankroll', kind: 'reference' }],
    }),
    drawdown: seriesChart({
      id: 'drawdown',
      title: 'Drawdown: the fall from the running peak bankroll, as a fraction of that peak',
      yTitle: 'Drawdown from peak',
      dates,
      values: equity.drawdown,
      yFormat: (v) => fmtPercent(v, { digits: 0 }),
      references: finite(maxDrawdownLimit)
        ? [{ value: maxDrawdownLimit, label: `gate limit ${fmtPercent(maxDrawdownLimit)}`, kind: 'threshold' }]
        : [],
      fillTo: 0,
      inverted: true,
    }),
    flatUnits: seriesChart({
      id: 'flat-units',
      title: 'Cumulative profit had each of the plan’s bets been staked 1 unit',
      yTitle: 'Profit (units)',
      dates,
      values: equity.flatUnits,
      yFormat: (v) => fmtDecimal(v, Math.abs(v) < 10 && !Number.isInteger(v) ? 1 : 0),
      references: [{ value: 0, label: 'break-even', kind: 'reference' }],
    }),
  };
}
