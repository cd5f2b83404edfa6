import { html, join, type SafeHtml } from './html';

/**
 * The few pieces every chart of the report shares: linear scales, round tick values, a framed plot with
 * axes and grid, and paths that break where a value is missing. The charts are hand-drawn SVG rather than
 * plotly.js (already a dependency of the UI) because the report must be one self-contained page with no
 * script: inlining plotly would add ~3.5 MB and a script to every stored report, and the strict CSP of the
 * page (default-src 'none') forbids running it anyway. Static SVG is small, prints, and opens anywhere.
 */

export interface Scale {
  (value: number): number;
  domain: readonly [number, number];
}

/** Maps [d0, d1] onto [r0, r1]; a zero-width domain is widened so a single value sits in the middle. */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  let [d0, d1] = domain;
  if (!(d1 > d0)) {
    const pad = Math.abs(d0) > 0 ? Math.abs(d0) * 0.1 : 1;
    d0 -= pad;
    d1 += pad;
  }
  const [r0, r1] = range;
  const scale = ((v: number) => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0)) as Scale;
  scale.domain = [d0, d1];
  return scale;
}

/** About `count` round values (1, 2 or 5 times a power of ten) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) return [lo];
  const rough = (hi - lo) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step)
    ticks.push(Math.abs(t) < step * 1e-9 ? 0 : Number(t.toPrecision(12)));
  return ticks;
}

/** The smallest round-ticked interval containing every value (and the extras, e.g. a threshold or 0). */
export function niceDomain(values: readonly number[], padFraction = 0.05): [number, number] {
  const finiteValues = values.filter(Number.isFinite);
  if (finiteValues.length === 0) return [0, 1];
  let lo = Math.min(...finiteValues);
  let hi = Math.max(...finiteValues);
  const pad = (hi - lo) * padFraction || Math.abs(hi) * 0.1 || 1;
  lo -= pad;
  hi += pad;
  const ticks = niceTicks(lo, hi);
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : 0;
  return step > 0 ? [Math.floor(lo / step) * step, Math.ceil(hi / step) * step] : [lo, hi];
}

/** A coordinate as written into the SVG: one decimal is finer than a screen pixel. */
export const px = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : '0');

export interface Point {
  x: number;
  y: number;
}

/** An SVG path through the points, lifting the pen over missing ones (null) instead of drawing through them. */
export function linePath(points: readonly (Point | null)[]): string {
  let d = '';
  let pen = false;
  for (const p of points) {
    if (!p || !Number.isFinite(p.x) || !Number.isFinite(p.y)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${px(p.x)} ${px(p.y)}`;
    pen = true;
  }
  return d;
}

export interface Axis {
  scale: Scale;
  ticks: readonly { value: number; label: string }[];
  title: string;
}

export interface FrameOptions {
  /** Stable name for tests and styling (data-chart). */
  id: string;
  /** What the chart shows, for screen readers and as the SVG's tooltip. */
  title: string;
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
  x: Axis;
  y: Axis;
  body: SafeHtml;
  /** Draw horizontal grid lines at the y ticks. */
  grid?: boolean;
}

/** The plot area's box for a chart of this size and margin. */
export function plotBox(width: number, height: number, margin: FrameOptions['margin']) {
  return { left: margin.left, right: width - margin.right, top: margin.top, bottom: height - margin.bottom };
}

/** One chart: an accessible SVG with axes, tick labels, optional grid and the chart's own marks. */
export function chartFrame(o: FrameOptions): SafeHtml {
  const box = plotBox(o.width, o.height, o.margin);
  const grid =
    (o.grid ?? true)
      ? o.y.ticks.map(
          (t) =>
            html`<line
              class="grid"
              x1="${px(box.left)}"
              x2="${px(box.right)}"
              y1="${px(o.y.scale(t.value))}"
              y2="${px(o.y.scale(t.value))}"
            />`,
        )
      : [];
  const xTicks = o.x.ticks.map((t) => {
    const x = px(o.x.scale(t.value));
    return html`<line class="tick" x1="${x}" x2="${x}" y1="${px(box.bottom)}" y2="${px(box.bottom + 4)}" /><text
        class="tick-label"
        x="${x}"
        y="${px(box.bottom + 16)}"
        text-anchor="middle"
        >${t.label}</text
      >`;
  });
  const yTicks = o.y.ticks.map((t) => {
    const y = px(o.y.scale(t.value));
    return html`<line class="tick" x1="${px(box.left - 4)}" x2="${px(box.left)}" y1="${y}" y2="${y}" /><text
        class="tick-label"
        x="${px(box.left - 7)}"
        y="${y}"
        dy="0.32em"
        text-anchor="end"
        >${t.label}</text
      >`;
  });
  const midX = (box.left + box.right) / 2;
  const midY = (box.top + box.bottom) / 2;
  return html`<svg
    class="chart"
    data-chart="${o.id}"
    viewBox="0 0 ${o.width} ${o.height}"
    width="${o.width}"
    height="${o.height}"
    role="img"
    aria-label="${o.title}"
  >
    <title>${o.title}</title>
    ${join(grid)}
    <line class="axis" x1="${px(box.left)}" x2="${px(box.right)}" y1="${px(box.bottom)}" y2="${px(box.bottom)}" />
    <line class="axis" x1="${px(box.left)}" x2="${px(box.left)}" y1="${px(box.top)}" y2="${px(box.bottom)}" />
    ${join(xTicks)}${join(yTicks)}${o.body}
    <text class="axis-title" x="${px(midX)}" y="${px(o.height - 4)}" text-anchor="middle">${o.x.title}</text>
    <text class="axis-title" transform="translate(12 ${px(midY)}) rotate(-90)" text-anchor="middle">${o.y.title}</text>
  </svg>`;
}

/** Ticks from a scale's domain, labelled by `format`. */
export function ticksFor(scale: Scale, format: (v: number) => string, count = 5): { value: number; label: string }[] {
  const [lo, hi] = scale.domain;
  return niceTicks(lo, hi, count).map((value) => ({ value, label: format(value) }));
}
