/** The page's only styling, inline (the CSP allows inline styles and nothing else); light, printable, no web fonts. */
export const REPORT_CSS = `
:root { color-scheme: light; --pass: #1a7f37; --fail: #cf222e; --ink: #1f2328; --muted: #57606a; --line: #d0d7de; --accent: #0969da; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 24px; margin: 0 0 6px; word-break: break-word; }
h2 { font-size: 18px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 20px 0 6px; }
.kicker { text-transform: uppercase; letter-spacing: .08em; font-size: 12px; color: var(--muted); margin: 0; }
header.report { border-left: 6px solid var(--fail); padding: 6px 0 6px 16px; }
header.report.passed { border-left-color: var(--pass); }
.verdict { font-size: 16px; margin: 4px 0 12px; }
.badge { display: inline-block; font-weight: 700; font-size: 12px; letter-spacing: .04em; padding: 2px 8px; border-radius: 10px; color: #fff; background: var(--fail); }
.badge.pass, .badge.passed { background: var(--pass); }
.verdict .badge { font-size: 15px; padding: 3px 12px; margin-right: 8px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; word-break: break-word; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 7px 8px; border-bottom: 1px solid var(--line); }
thead th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); border-bottom: 2px solid var(--line); }
td.num { white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.gate.fail { background: #fff5f5; }
tr.gate > th { white-space: nowrap; }
.explanation { max-width: 560px; word-break: break-word; }
dl.details { display: grid; grid-template-columns: max-content 1fr; gap: 0 10px; margin: 6px 0 0; font-size: 12px; color: var(--muted); }
dl.details dd { margin: 0; word-break: break-word; }
.muted { color: var(--muted); font-size: 12px; }
.empty { color: var(--muted); font-style: italic; }
.stats { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; }
.stat { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; }
.stat .label { color: var(--muted); font-size: 12px; }
.stat .value { font-size: 18px; font-variant-numeric: tabular-nums; }
figure { margin: 12px 0 20px; }
figcaption { color: var(--muted); font-size: 12px; max-width: 680px; margin-top: 4px; }
svg.chart { display: block; max-width: 100%; height: auto; font-size: 11px; }
svg .axis { stroke: #8c959f; }
svg .tick { stroke: #8c959f; }
svg .grid { stroke: #eaeef2; }
svg .tick-label, svg .mark-label { fill: var(--muted); }
svg .axis-title { fill: var(--ink); font-size: 12px; }
svg .series { fill: none; stroke: var(--accent); stroke-width: 1.8; stroke-linejoin: round; }
svg .area { fill: rgba(207, 34, 46, .18); stroke: none; }
svg .dot { fill: var(--accent); fill-opacity: .75; stroke: #fff; }
svg .end { fill: var(--accent); }
svg .reference { stroke: #8c959f; stroke-dasharray: 4 4; }
svg .reference-label { fill: var(--muted); }
svg .threshold { stroke: #bc4c00; stroke-width: 1.5; stroke-dasharray: 6 3; }
svg .threshold-label { fill: #bc4c00; }
svg .zero { stroke: #57606a; stroke-width: 1.2; }
svg .zero-label { fill: var(--muted); }
svg .interval { stroke: var(--accent); stroke-width: 6; stroke-linecap: butt; stroke-opacity: .45; }
svg .interval-cap { stroke: var(--accent); stroke-width: 2; }
svg .estimate { fill: var(--accent); stroke: #fff; stroke-width: 1.5; }
svg .bar { fill: var(--accent); fill-opacity: .7; }
table.heat { width: auto; font-variant-numeric: tabular-nums; }
table.heat caption { caption-side: bottom; text-align: left; color: var(--muted); font-size: 12px; padding-top: 6px; }
table.heat td.rank, table.heat td.spread { text-align: center; min-width: 52px; }
table.heat th.feature { font-weight: 500; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; word-break: break-all; }
pre { background: #f6f8fa; border: 1px solid var(--line); border-radius: 6px; padding: 10px; overflow-x: auto; font-size: 12px; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
@media print { main { padding: 0; } h2 { break-after: avoid; } figure, tr { break-inside: avoid; } }
`;
