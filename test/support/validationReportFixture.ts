import { validationReportSchema, type ValidationReport } from '../../src-main/shared/results';
import { defaultValidationPolicy } from '../../src-main/shared/validationPolicy';

/** A small deterministic generator so the fixture's curves look like a season and never change between runs. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** 2016's regular season, one entry per game day (the All-Star break and off days left out crudely). */
function gameDays(): string[] {
  const days: string[] = [];
  for (let t = Date.UTC(2016, 3, 3); t <= Date.UTC(2016, 9, 2); t += 86_400_000) {
    const d = new Date(t);
    if (d.getUTCDay() === 4 && d.getUTCDate() % 2 === 0) continue;
    if (d.getUTCMonth() === 6 && d.getUTCDate() >= 11 && d.getUTCDate() <= 14) continue;
    days.push(d.toISOString().slice(0, 10));
  }
  return days;
}

function equityCurves() {
  const dates = gameDays();
  const next = lcg(7);
  const bankroll: number[] = [];
  const drawdown: number[] = [];
  const flatUnits: number[] = [];
  let b = 1;
  let peak = 1;
  let units = 0;
  for (let i = 0; i < dates.length; i++) {
    const r = (next() - 0.47) * 0.03;
    b *= 1 + r;
    peak = Math.max(peak, b);
    units += (next() - 0.47) * 2.4;
    bankroll.push(b);
    drawdown.push((peak - b) / peak);
    flatUnits.push(units);
  }
  return { dates, bankroll, drawdown, flatUnits };
}

const FEATURES = [
  'home_sp_fip_last5',
  'away_sp_fip_last5',
  'home_team_woba_30d',
  'away_team_woba_30d',
  'home_bullpen_era_14d',
  'away_bullpen_era_14d',
  'park_factor',
  'home_rest_days',
  'away_travel_km',
  'elo_diff',
];

/**
 * A validation report as the engine writes one for a plausible MLB model (a 2016 holdout against the closing
 * lines: 54% accuracy, a lucky ROI whose interval includes 0), checked by validationReportSchema so the tests
 * render exactly what the schema allows. Overrides replace top-level fields.
 */
export function validationReportFixture(overrides: Partial<ValidationReport> = {}): ValidationReport {
  const policy = defaultValidationPolicy();
  const equity = equityCurves();
  const maxDrawdown = Math.max(...equity.drawdown);
  const calibration = Array.from({ length: 10 }, (_, i) => {
    const lower = i / 10;
    const upper = (i + 1) / 10;
    const inRange = i >= 2 && i <= 7;
    const meanPredicted = inRange ? lower + 0.05 + (i - 5) * 0.003 : null;
    return {
      lower,
      upper,
      count: inRange ? [0, 0, 41, 212, 690, 802, 598, 86][i] : 0,
      meanPredicted,
      observedRate: meanPredicted === null ? null : meanPredicted + (i % 2 === 0 ? 0.018 : -0.012),
    };
  });
  const ranksByFold = [
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    [2, 1, 3, 5, 4, 7, 6, 10, 8, 9],
    [1, 3, 2, 4, 6, 5, 9, 7, 12, 8],
    [1, 2, 4, 3, 5, 8, 6, 9, 7, 14],
    [3, 1, 2, 4, 5, 6, 8, 7, 11, 10],
  ];
  const report: ValidationReport = {
    status: 'failed',
    modelName: 'ml-2000-2014',
    modelRunId: 'run-0001',
    validatedAt: '2026-01-10T12:30:00.000Z',
    trainedAt: '2026-01-10T12:00:00.000Z',
    policy,
    policySource: 'workspace',
    windows: {
      train: '2000-2014',
      valid: '2015',
      evaluation: {
        source: 'holdout',
        seasons: [2016],
        firstGame: equity.dates[0],
        lastGame: equity.dates[equity.dates.length - 1],
        odds: 'close',
      },
      cv: { scheme: 'walk-forward', seasons: [2010, 2011, 2012, 2013, 2014], folds: 5 },
    },
    runs: [
      { role: 'training', id: 'run-0001', name: 'ml-2000-2014', reused: true },
      { role: 'backtest', id: 'run-0002', name: 'ml-2000-2014 backtest 2016', reused: false },
      { role: 'cv', id: 'run-0003', name: 'ml-2000-2014 walk-forward', reused: true },
      { role: 'cpcv', id: 'run-0004', name: 'ml-2000-2014 cpcv 6/2', reused: false },
    ],
    gates: [
      {
        name: 'accuracy',
        value: 0.5412,
        threshold: 0.6,
        passed: false,
        explanation: 'Accuracy 54.1% on 2,429 games is below 60.0%',
        details: { games: 2429, correct: 1315, baseline: 0.55 },
      },
      {
        name: 'roi',
        value: 0.038,
        threshold: 0.03,
        passed: true,
        explanation: 'ROI +3.8% over 1,450 bets is at least +3.0%',
        details: { bets: 1450, profit: 2.1 },
      },
      {
        name: 'maxDrawdown',
        value: maxDrawdown,
        threshold: 0.25,
        passed: maxDrawdown <= 0.25,
        explanation: `Maximum drawdown ${(maxDrawdown * 100).toFixed(1)}% of the peak bankroll`,
        details: { flatDrawdownUnits: 38.5, finalBankroll: equity.bankroll[equity.bankroll.length - 1], bets: 1450 },
      },
      {
        name: 'sharpe',
        value: 0.81,
        threshold: 0,
        passed: true,
        explanation: 'Annualized Sharpe 0.81 of daily returns over 178 game days is at least 0.00',
        details: { days: 178, sharpeDaily: 0.051, periodsPerYear: 250 },
      },
      {
        name: 'featureStability',
        value: 0.87,
        threshold: 0.6,
        passed: true,
        explanation: 'Gain-importance ranks across 5 CV folds: mean pairwise Spearman 0.87 is at least 0.60 (stable)',
        details: {
          folds: 5,
          pairs: 10,
          undefinedPairs: 0,
          topK: 10,
          topKShare: 0.7,
          stableFeatures: FEATURES.slice(0, 7),
          unstableFeatures: FEATURES.slice(7),
        },
      },
      { name: 'bets', value: 1450, threshold: 300, passed: true, explanation: '1,450 bets is at least 300', details: {} },
      {
        name: 'roiSignificance',
        value: -0.012,
        threshold: 0,
        passed: false,
        explanation: 'ROI +3.8% but its 95% bootstrap interval [−1.2%, +8.9%] includes 0: the profit may be luck',
        details: { level: 0.95, resamples: 2000, seed: 1, bets: 1450, roi: 0.038, low: -0.012, high: 0.089, pValue: 0.081 },
      },
      {
        name: 'accuracySignificance',
        value: 0.94,
        threshold: 0.05,
        passed: false,
        explanation: 'Accuracy 54.1% against the 55.0% baseline: p = 0.94',
        details: { baseline: 0.55, games: 2429, correct: 1315 },
      },
      {
        name: 'marketLogLoss',
        value: 0.0061,
        threshold: 0.02,
        passed: true,
        explanation: 'Log loss 0.6842 is 0.0061 above the market’s 0.6781',
        details: { games: 2401 },
      },
      {
        name: 'calibration',
        value: 0.021,
        threshold: 0.03,
        passed: true,
        explanation: 'ECE 0.021 over 2,429 games is at most 0.030',
        details: { games: 2429, bins: 10 },
      },
      {
        name: 'leakage',
        value: -0.0061,
        threshold: 0.005,
        passed: true,
        explanation: 'No sign of leakage: log loss 0.6842 against the market’s 0.6781',
        details: { maxAccuracyAdvantage: 0.02, games: 2401, guard: 'passed', features: [], featuresFrom: 'top features by gain' },
      },
      {
        name: 'overfitting',
        value: 0.42,
        threshold: 0.95,
        passed: false,
        explanation: 'Deflated Sharpe 0.42 after 3 tries is below 0.95: the backtest may be the luck of many tries',
        details: {
          trials: 3,
          strategies: ['flat', 'edge', 'kelly'],
          pbo: 0.38,
          probabilisticSharpe: 0.71,
          sharpeVarianceFrom: 'cpcv paths',
          cpcvPaths: 5,
        },
      },
    ],
    disabledGates: [],
    summary: {
      games: 2429,
      pricedGames: 2401,
      accuracy: 0.5412,
      logLoss: 0.6842,
      marketAccuracy: 0.5871,
      marketLogLoss: 0.6781,
      bets: 1450,
      roi: 0.038,
      sharpe: 0.81,
      maxDrawdown,
      trials: 3,
    },
    charts: {
      calibration,
      roi: { value: 0.038, low: -0.012, high: 0.089, level: 0.95 },
      equity,
      importanceStability: { features: FEATURES, ranksByFold },
      pathSharpes: [0.42, -0.31, 1.12, 0.05, 0.77],
    },
    ...overrides,
  };
  return validationReportSchema.parse(report);
}

/** The same report with every measurable number unmeasured (null) and every chart empty: nothing to draw, nothing to crash on. */
export function unmeasuredValidationReportFixture(): ValidationReport {
  const base = validationReportFixture();
  return validationReportFixture({
    gates: base.gates.map((g) => ({
      ...g,
      value: null,
      passed: false,
      explanation: `${g.name} cannot be measured: the evaluation window has no games`,
      details: { games: null },
    })),
    summary: {
      games: 0,
      pricedGames: 0,
      accuracy: null,
      logLoss: null,
      marketAccuracy: null,
      marketLogLoss: null,
      bets: 0,
      roi: null,
      sharpe: null,
      maxDrawdown: null,
      trials: 0,
    },
    windows: { ...base.windows, evaluation: { ...base.windows.evaluation, firstGame: null, lastGame: null }, cv: null, valid: null },
    charts: {
      calibration: [],
      roi: { value: null, low: null, high: null, level: 0.95 },
      equity: { dates: [], bankroll: [], drawdown: [], flatUnits: [] },
      importanceStability: { features: [], ranksByFold: [] },
      pathSharpes: [],
    },
    runs: [],
  });
}
