import type { ValidationReport } from '../../shared/results';
import { gateLabels } from '../../shared/validationPolicy';
import { describePlan } from '../../../src-workers/compute/validation/stakingPlan';
import { calibrationChart } from './report/calibrationChart';
import { equityCharts } from './report/equityCharts';
import { fmtCount, fmtDateTime, fmtDecimal, fmtPercent, fmtSeasons, NONE } from './report/format';
import { gatesTable } from './report/gatesTable';
import { html, SafeHtml } from './report/html';
import { importanceTable } from './report/importanceTable';
import { pathSharpeChart } from './report/pathSharpeChart';
import { roiChart } from './report/roiChart';
import { REPORT_CSS } from './report/styles';

/**
 * The page's own policy: nothing may load (no script, frame, font, image URL or request of any kind) except
 * its inline styles and data: images. Stored reports are opened from disk, mailed and shown inside the app,
 * so the page must be inert whatever a model name or explanation contains; escaping is the first guard, this
 * the second.
 */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const POLICY_SOURCES: Record<ValidationReport['policySource'], string> = {
  workspace: 'the workspace policy',
  file: 'a policy file (--policy)',
  input: 'a policy given with the request',
};

const RUN_ROLES: Record<ValidationReport['runs'][number]['role'], string> = {
  training: 'Training',
  backtest: 'Backtest',
  cv: 'Cross-validation',
  cpcv: 'Combinatorially purged CV',
};

function headline(r: ValidationReport): SafeHtml {
  const passed = r.gates.filter((g) => g.passed).length;
  const failed = r.gates.filter((g) => !g.passed).map((g) => gateLabels[g.name] ?? g.name);
  const verdict =
    failed.length === 0
      ? `All ${r.gates.length} enabled gates passed.`
      : `${passed} of ${r.gates.length} enabled gates passed; failed: ${failed.join(', ')}.`;
  const e = r.windows.evaluation;
  const evaluation = [
    e.source === 'holdout' ? 'held-out seasons' : 'walk-forward out-of-fold predictions',
    `seasons ${fmtSeasons(e.seasons)}`,
    e.firstGame && e.lastGame ? `${e.firstGame} to ${e.lastGame}` : 'no games',
    `${e.odds === 'close' ? 'closing' : 'opening'} odds`,
  ].join(', ');
  const cv = r.windows.cv
    ? `${r.windows.cv.scheme}, seasons ${fmtSeasons(r.windows.cv.seasons)}, ${fmtCount(r.windows.cv.folds)} folds`
    : 'none';
  const disabled = r.disabledGates.length > 0 ? r.disabledGates.map((g) => gateLabels[g] ?? g).join(', ') : 'none';
  return html`<header class="report ${r.status}">
    <p class="kicker">Bullpen validation report</p>
    <h1 id="model-name">${r.modelName}</h1>
    <p class="verdict"><span class="badge ${r.status}" id="status">${r.status === 'passed' ? 'PASSED' : 'FAILED'}</span>${verdict}</p>
    <dl class="facts">
      <dt>Policy</dt>
      <dd>${POLICY_SOURCES[r.policySource] ?? r.policySource}</dd>
      <dt>Staking plan</dt>
      <dd>${describePlan(r.policy.staking)}, starting bankroll 1</dd>
      <dt>Training window</dt>
      <dd>${r.windows.train}</dd>
      <dt>Early stopping</dt>
      <dd>${r.windows.valid ?? 'none'}</dd>
      <dt>Evaluation</dt>
      <dd>${evaluation}</dd>
      <dt>Cross-validation</dt>
      <dd>${cv}</dd>
      <dt>Disabled gates</dt>
      <dd>${disabled}</dd>
      <dt>Trained</dt>
      <dd>${fmtDateTime(r.trainedAt)}</dd>
      <dt>Validated</dt>
      <dd>${fmtDateTime(r.validatedAt)}</dd>
    </dl>
  </header>`;
}

function summary(r: ValidationReport): SafeHtml {
  const s = r.summary;
  const stats: [string, string][] = [
    ['Games', fmtCount(s.games)],
    ['Priced games', fmtCount(s.pricedGames)],
    ['Accuracy', fmtPercent(s.accuracy)],
    ['Market accuracy', fmtPercent(s.marketAccuracy)],
    ['Log loss', fmtDecimal(s.logLoss, 4)],
    ['Market log loss', fmtDecimal(s.marketLogLoss, 4)],
    ['Bets', fmtCount(s.bets)],
    ['ROI', fmtPercent(s.roi, { signed: true })],
    ['Sharpe (annualized)', fmtDecimal(s.sharpe, 2)],
    ['Maximum drawdown', fmtPercent(s.maxDrawdown)],
    ['Tries behind the model', fmtCount(s.trials)],
  ];
  return html`<div class="stats" id="summary">
    ${stats.map(
      ([label, value]) =>
        html`<div class="stat">
          <div class="label">${label}</div>
          <div class="value">${value}</div>
        </div>`,
    )}
  </div>`;
}

function runsTable(r: ValidationReport): SafeHtml {
  if (r.runs.length === 0) return html`<p class="empty">No run was recorded.</p>`;
  const rows = r.runs.map(
    (run) =>
      html`<tr>
        <td>${RUN_ROLES[run.role] ?? run.role}</td>
        <td>${run.name}</td>
        <td><code>${run.id}</code></td>
        <td>${run.reused ? 'reused' : 'run for this validation'}</td>
      </tr>`,
  );
  return html`<table class="runs">
    <thead>
      <tr>
        <th scope="col">Role</th>
        <th scope="col">Run</th>
        <th scope="col">Id</th>
        <th scope="col">Origin</th>
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

/** A chart with its caption, or the caption's reason why there is nothing to draw. */
function figure(chart: SafeHtml | null, caption: string, empty: string): SafeHtml {
  return chart
    ? html`<figure>
        ${chart}
        <figcaption>${caption}</figcaption>
      </figure>`
    : html`<p class="empty">${empty}</p>`;
}

function charts(r: ValidationReport): SafeHtml {
  const c = r.charts;
  const gates = r.policy.gates;
  const equity = equityCharts(c.equity, gates.maxDrawdown.enabled ? gates.maxDrawdown.max : null);
  const ece = r.gates.find((g) => g.name === 'calibration')?.value ?? null;
  const sharpes = c.pathSharpes.filter((v): v is number => v !== null && Number.isFinite(v));
  const below = sharpes.filter((v) => v < 0).length;
  return html`<h2>Calibration</h2>
    ${figure(
      calibrationChart(c.calibration),
      `Each dot is a bin of games: its mean predicted probability against how often the predicted side won; the dot's area grows with the games in it. Honest probabilities lie on the dashed diagonal. Expected calibration error: ${fmtDecimal(ece, 3)}.`,
      'No calibration bin holds a game, so there is no calibration curve.',
    )}
    <h2>ROI and its confidence interval</h2>
    ${figure(
      roiChart(c.roi, gates.roi.enabled ? gates.roi.min : null),
      'The dot is the staking plan’s ROI; the bar its bootstrap interval. Significant when the whole bar lies right of 0.',
      'The staking plan placed no bet, so there is no ROI to show.',
    )}
    <h2>Equity and drawdown</h2>
    ${figure(
      equity.bankroll,
      'Bankroll under the policy’s staking plan, one point per game day (winters between seasons take no room).',
      'No game day has a bankroll value, so there is no equity curve.',
    )}${figure(equity.drawdown, 'Fall from the running peak bankroll, as a fraction of that peak; the dashed line is the gate’s limit.', 'No drawdown to show.')}${figure(
      equity.flatUnits,
      'The same bets restaked at 1 unit each: the selection’s profit without its sizing.',
      'No flat-stake profit to show.',
    )}
    <h2>Feature-importance stability</h2>
    ${
      importanceTable(c.importanceStability) ??
      html`<p class="empty">No CV fold importances were available, so stability cannot be shown.</p>`
    }
    <h2>Sharpe ratios of the purged CV paths</h2>
    ${figure(
      pathSharpeChart(c.pathSharpes, r.summary.sharpe),
      `${fmtCount(sharpes.length)} paths of the combinatorially purged CV; ${fmtCount(below)} (${sharpes.length ? fmtPercent(below / sharpes.length, { digits: 0 }) : NONE}) have a Sharpe below 0.`,
      'No combinatorially purged CV ran for this validation, so there is no path distribution.',
    )}`;
}

/**
 * The validation report as one self-contained HTML page for people: verdict, gates, summary numbers and
 * charts drawn as inline SVG, with no script and no request of any kind (see REPORT_CSP). Every text from
 * the report is escaped. Pure: the same report always gives the same page.
 */
export function renderValidationReport(report: ValidationReport): string {
  // The stylesheet is a constant, never report data, and goes in as markup: a <style> element's text is not entity-decoded.
  const title = `Validation of ${report.modelName}: ${report.status === 'passed' ? 'PASSED' : 'FAILED'}`;
  const page = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}" />
        <meta name="referrer" content="no-referrer" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title}</title>
        <style>
          ${new SafeHtml(REPORT_CSS)}
        </style>
      </head>
      <body>
        <main>
          ${headline(report)}
          <h2>Gates</h2>
          ${gatesTable(report.gates)}
          <h2>Summary</h2>
          ${summary(report)}${charts(report)}
          <h2>Runs used</h2>
          ${runsTable(report)}
          <h2>Policy</h2>
          <details>
            <summary>The policy as applied (defaults filled in)</summary>
            <pre>${JSON.stringify(report.policy, null, 2)}</pre>
          </details>
          <footer>Model run ${report.modelRunId}. This page is self-contained: it runs no script and loads nothing.</footer>
        </main>
      </body>
    </html> `;
  return page.html;
}
