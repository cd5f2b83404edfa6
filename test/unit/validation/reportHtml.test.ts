import { describe, expect, it } from 'vitest';
import { REPORT_CSP, renderValidationReport } from '../../../src-main/engine/validation/reportHtml';
import { fmtNumber, fmtSeasons } from '../../../src-main/engine/validation/report/format';
import { linePath, niceTicks } from '../../../src-main/engine/validation/report/svg';
import type { ValidationReport } from '../../../src-main/shared/results';
import { gateLabels, gateNames } from '../../../src-main/shared/validationPolicy';
import { unmeasuredValidationReportFixture, validationReportFixture } from '../../support/validationReportFixture';

/** Every tag the renderer writes; anything else in the page came from data that was not escaped. */
const ALLOWED_TAGS = new Set(
  'html head meta title style body main header p h1 h2 span dl dt dd div table thead tbody tr th td caption figure figcaption svg line path circle rect text details summary pre code footer'.split(
    ' ',
  ),
);
const ALLOWED_ATTRIBUTES = new Set(
  'lang charset http-equiv content name class id data-gate data-chart viewbox width height role aria-label x y x1 x2 y1 y2 cx cy r d dy text-anchor transform scope style'.split(
    ' ',
  ),
);

/** The page's real tags: every "<" of data is escaped, so each one left starts a tag the renderer wrote. */
function tags(page: string): { name: string; attributes: string[] }[] {
  const out: { name: string; attributes: string[] }[] = [];
  for (const m of page.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>/g)) {
    const attributes = [...m[2].matchAll(/([a-zA-Z:-]+)\s*=\s*"[^"]*"/g)].map((a) => a[1].toLowerCase());
    out.push({ name: m[1].toLowerCase(), attributes });
  }
  return out;
}

/** The page with whitespace runs collapsed and none between tags, so assertions do not depend on the source's line breaks. */
const render = (report: ValidationReport): string => renderValidationReport(report).replace(/\s+/g, ' ').replace(/> </g, '><');

const HOSTILE_NAME = '</title><script>alert("name")</script><img src=x onerror=alert(1)>';
const HOSTILE_EXPLANATION = '"><svg onload=alert(2)> & <a href="https://evil.example/">click</a>';
const HOSTILE_FEATURE = '<style>body{display:none}</style>';

describe('renderValidationReport', () => {
  it('escapes a hostile model name, explanation, detail, feature and run name so none becomes markup', () => {
    const base = validationReportFixture();
    const report = validationReportFixture({
      modelName: HOSTILE_NAME,
      gates: base.gates.map((g, i) =>
        i === 0 ? { ...g, explanation: HOSTILE_EXPLANATION, details: { note: HOSTILE_EXPLANATION, list: [HOSTILE_FEATURE] } } : g,
      ),
      runs: [{ role: 'training', id: '"><script>x</script>', name: HOSTILE_NAME, reused: true }],
      charts: {
        ...base.charts,
        importanceStability: {
          ...base.charts.importanceStability,
          features: [HOSTILE_FEATURE, ...base.charts.importanceStability.features.slice(1)],
        },
      },
    });
    const page = render(report);

    for (const tag of tags(page)) {
      expect(ALLOWED_TAGS.has(tag.name), `unexpected <${tag.name}>`).toBe(true);
      for (const a of tag.attributes) expect(ALLOWED_ATTRIBUTES.has(a), `unexpected attribute ${a} on <${tag.name}>`).toBe(true);
    }
    expect(page).not.toMatch(/<script|<img|<a[\s>]/i);
    expect(tags(page).filter((t) => t.name === 'style')).toHaveLength(1);
    expect(page).toContain('&lt;/title&gt;&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('&quot;&gt;&lt;svg onload=alert(2)&gt; &amp; &lt;a href=&quot;https://evil.example/&quot;&gt;click&lt;/a&gt;');
    expect(page).toContain('&lt;style&gt;body{display:none}&lt;/style&gt;');
    expect(page).toContain('<code>&quot;&gt;&lt;script&gt;x&lt;/script&gt;</code>');
  });

  it('declares the strict CSP and refers to nothing outside the page', () => {
    const page = render(validationReportFixture());
    expect(REPORT_CSP).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP.replaceAll("'", '&#39;')}" />`);
    expect(page.indexOf('Content-Security-Policy')).toBeLessThan(page.indexOf('<style>'));
    const attributes = tags(page).flatMap((t) => t.attributes);
    for (const forbidden of ['src', 'href', 'xlink:href', 'srcset', 'action']) expect(attributes).not.toContain(forbidden);
    expect(page).not.toMatch(/url\(|@import|https?:\/\//i);
  });

  it('writes one row per gate in the report, labelled, with its verdict, value and threshold', () => {
    const report = validationReportFixture();
    const page = render(report);
    const rows = [...page.matchAll(/<tr class="gate (pass|fail)" data-gate="([a-zA-Z]+)">(.*?)<\/tr>/g)];
    expect(rows.map((r) => r[2])).toEqual(gateNames);
    for (const [row, verdict, name] of rows) {
      const gate = report.gates.find((g) => g.name === name)!;
      expect(verdict).toBe(gate.passed ? 'pass' : 'fail');
      expect(row).toContain(`<th scope="row">${gateLabels[gate.name]}</th>`);
      expect(row).toContain(gate.passed ? '>PASS<' : '>FAIL<');
    }
    const row = (name: string) => rows.find((r) => r[2] === name)![0];
    expect(row('accuracy')).toContain('54.1%');
    expect(row('accuracy')).toContain('≥ 60.0%');
    expect(row('roi')).toContain('+3.8%');
    expect(row('roiSignificance')).toContain('\u22121.2%');
    expect(row('bets')).toContain('1,450');
    expect(row('accuracySignificance')).toContain('&lt; 0.05');
    expect(row('featureStability')).toContain('<dt>top k share</dt><dd>70.0%</dd>');
    expect(page).toContain('<span class="badge failed" id="status">FAILED</span>');
    expect(page).toContain(
      '8 of 12 enabled gates passed; failed: Accuracy, ROI significance, Accuracy significance, Backtest overfitting.',
    );
  });

  it('lists only the enabled gates and names the disabled ones', () => {
    const base = validationReportFixture();
    const report = validationReportFixture({
      status: 'passed',
      gates: base.gates.filter((g) => g.passed),
      disabledGates: base.gates.filter((g) => !g.passed).map((g) => g.name),
    });
    const page = render(report);
    expect(page.match(/<tr class="gate /g)).toHaveLength(8);
    expect(page).toContain('<span class="badge passed" id="status">PASSED</span>All 8 enabled gates passed.');
    expect(page).toContain('<dt>Disabled gates</dt><dd>Accuracy, ROI significance, Accuracy significance, Backtest overfitting</dd>');
  });

  it('draws every chart of a complete report as inline SVG, and the importance heat table', () => {
    const page = render(validationReportFixture());
    const charts = [...page.matchAll(/<svg class="chart" data-chart="([a-z-]+)"/g)].map((m) => m[1]);
    expect(charts).toEqual(['calibration', 'roi', 'equity', 'drawdown', 'flat-units', 'path-sharpes']);
    expect(page).toContain('<table class="heat" data-chart="importance">');
    expect(page.match(/<td class="rank"/g)).toHaveLength(50);
  });

  it('renders a report whose every number is null and every chart empty, saying why instead of drawing', () => {
    const page = render(unmeasuredValidationReportFixture());
    expect(page).not.toMatch(/NaN|undefined|Infinity|>null</);
    expect(page).not.toContain('<svg');
    expect(page.match(/<tr class="gate fail"/g)).toHaveLength(12);
    expect(page.match(/not measured/g)).toHaveLength(12);
    for (const why of [
      'No calibration bin holds a game',
      'The staking plan placed no bet',
      'No game day has a bankroll value',
      'No CV fold importances were available',
      'No combinatorially purged CV ran',
      'No run was recorded',
    ])
      expect(page).toContain(why);
    expect(page).toContain('<div class="label">Accuracy</div><div class="value">—</div>');
    expect(page).toContain('<dt>Evaluation</dt><dd>held-out seasons, seasons 2016, no games, closing odds</dd>');
  });

  it('lifts the pen over missing days, skips unmeasured bins and draws ROI without an interval', () => {
    const base = validationReportFixture();
    const bankroll = base.charts.equity.bankroll.map((v, i) => (i === 20 || i === 21 ? null : v));
    const page = render(
      validationReportFixture({
        charts: {
          ...base.charts,
          equity: { ...base.charts.equity, bankroll, flatUnits: base.charts.equity.flatUnits.map(() => null) },
          roi: { value: 0.01, low: null, high: null, level: 0.95 },
          pathSharpes: [null, 0.5, null],
        },
      }),
    );
    const equity = page.match(/data-chart="equity".*?<path class="series" d="([^"]*)"/)![1];
    expect(equity.match(/M/g)).toHaveLength(2);
    expect(page).not.toContain('data-chart="flat-units"');
    expect(page).toContain('No flat-stake profit to show.');
    expect(page).toContain('no bootstrap interval (too few bets)');
    expect(page).toContain('1 paths of the combinatorially purged CV');
    const calibration = page.match(/data-chart="calibration".*?<\/svg>/)![0];
    expect(calibration.match(/<circle class="dot"/g)).toHaveLength(6);
  });

  it('is the same page for the same report', () => {
    const report = validationReportFixture();
    expect(renderValidationReport(report)).toBe(renderValidationReport(report));
  });
});

describe('report formatting helpers', () => {
  it('writes season lists as ranges', () => {
    expect(fmtSeasons([2003, 2000, 2001, 2002, 2005])).toBe('2000–2003, 2005');
    expect(fmtSeasons([2016])).toBe('2016');
    expect(fmtSeasons([])).toBe('—');
  });

  it('prints numbers of unknown scale to four significant digits with a real minus sign', () => {
    expect(fmtNumber(1450)).toBe('1,450');
    expect(fmtNumber(0.5)).toBe('0.5');
    expect(fmtNumber(-0.012345)).toBe('\u22120.01235');
    expect(fmtNumber(38.512)).toBe('38.51');
    expect(fmtNumber(null)).toBe('—');
    expect(fmtNumber(Number.NaN)).toBe('—');
  });

  it('picks round tick values and breaks lines at missing points', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-0.05, 0.1, 6)).toEqual([-0.05, 0, 0.05, 0.1]);
    expect(linePath([{ x: 0, y: 0 }, { x: 1, y: 1 }, null, { x: 3, y: 3 }])).toBe('M0.0 0.0L1.0 1.0M3.0 3.0');
  });
});
