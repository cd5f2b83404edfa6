import { Gauge, type Registry } from 'prom-client';
import { DEFAULT_OPS_POLICY, opsPolicySchema, type OpsPolicy } from '../../../shared/operations/opsPolicy';
import type { Workspace } from '../../workspace/workspace';

/** What the gauges show of one live, active deployment: its latest check and its firing alerts. */
export interface DeploymentGaugeValues {
  deployment: string;
  driftScore: number | null;
  predictionKs: number | null;
  rollingRoi: number | null;
  rollingLogLoss: number | null;
  features: { feature: string; psi: number | null; ks: number | null }[];
  alertsFiring: number;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const objects = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);

/** Per-feature drift entries, whether the check stored them at the top level or inside the dataset-drift result. */
function featureEntries(results: Json[]): Json[] {
  const out: Json[] = [];
  for (const r of results) {
    if (r.monitor === 'featureDrift') out.push(r);
    if (r.monitor === 'datasetDrift')
      out.push(...objects(r.features).filter((f) => f.monitor === 'featureDrift' || typeof f.subject === 'string'));
  }
  return out;
}

/** A feature's statistic: measured alongside (statistics.psi/ks), else the entry's value when its method is that statistic. */
function featureStatistic(entry: Json, statistic: 'psi' | 'ks', policy: OpsPolicy): number | null {
  const measured = isObject(entry.statistics) ? finite(entry.statistics[statistic]) : null;
  if (measured !== null) return measured;
  const subject = typeof entry.subject === 'string' ? entry.subject : '';
  const method =
    typeof entry.method === 'string' ? entry.method : (policy.featureDrift.features[subject] ?? policy.featureDrift.default).method;
  return method === statistic ? finite(entry.value) : null;
}

/** The realized metric over the rolling window (`current`), not the monitor's value (the relative drop). */
function rollingMetric(results: Json[], metric: 'roi' | 'logLoss'): number | null {
  for (const r of results) {
    if (r.monitor !== 'performanceDrift') continue;
    if (r.subject === metric) return finite(r.current);
    const nested = objects(r.metrics).find((m) => m.subject === metric);
    if (nested) return finite(nested.current);
  }
  return null;
}

/**
 * Reads the gauges' values from a check's stored results. Tolerant by design: a check stores each
 * monitor's result with its extra fields (compute/monitoring), and a monitor this build does not know, or
 * a field it lacks, leaves that gauge unset rather than failing the scrape.
 */
export function gaugeValuesOf(
  deployment: string,
  policyJson: string | null,
  driftScore: number | null,
  resultsJson: string | null,
  alertsFiring: number,
): DeploymentGaugeValues {
  const policyParsed = policyJson ? opsPolicySchema.safeParse(JSON.parse(policyJson)) : null;
  const policy = policyParsed?.success ? policyParsed.data : DEFAULT_OPS_POLICY;
  const parsed: unknown = resultsJson ? JSON.parse(resultsJson) : [];
  const results = objects(parsed);
  const prediction = results.find((r) => r.monitor === 'predictionDrift');
  const composite = results.find((r) => r.monitor === 'driftScore');
  const features = new Map<string, { feature: string; psi: number | null; ks: number | null }>();
  for (const entry of featureEntries(results)) {
    if (typeof entry.subject !== 'string') continue;
    features.set(entry.subject, {
      feature: entry.subject,
      psi: featureStatistic(entry, 'psi', policy),
      ks: featureStatistic(entry, 'ks', policy),
    });
  }
  return {
    deployment,
    driftScore: finite(driftScore) ?? (composite ? finite(composite.value) : null),
    predictionKs: prediction ? ((isObject(prediction.ks) ? finite(prediction.ks.statistic) : null) ?? finite(prediction.value)) : null,
    rollingRoi: rollingMetric(results, 'roi'),
    rollingLogLoss: rollingMetric(results, 'logLoss'),
    features: [...features.values()],
    alertsFiring,
  };
}

/** Live (replay_id IS NULL), active deployments with their latest live check and their firing live alerts. */
const SNAPSHOT_SQL = `
  SELECT d.name, d.policy::VARCHAR AS policy, c.drift_score, c.results::VARCHAR AS results,
    (SELECT count(*) FROM alerts a WHERE a.deployment_id = d.id AND a.replay_id IS NULL AND a.status = 'firing') AS firing
  FROM deployments d
  LEFT JOIN (
    SELECT deployment_id, drift_score, results,
      row_number() OVER (PARTITION BY deployment_id ORDER BY checked_at DESC, id DESC) AS rn
    FROM monitor_checks WHERE replay_id IS NULL
  ) c ON c.deployment_id = d.id AND c.rn = 1
  WHERE d.replay_id IS NULL AND d.status = 'active'
  ORDER BY d.name`;

export async function loadGaugeValues(db: Pick<Workspace, 'all'>): Promise<DeploymentGaugeValues[]> {
  const rows = await db.all<{ name: string; policy: string | null; drift_score: number | null; results: string | null; firing: number }>(
    SNAPSHOT_SQL,
  );
  return rows.map((r) => gaugeValuesOf(r.name, r.policy, r.drift_score, r.results, Number(r.firing)));
}

/**
 * The `bullpen_*` gauges per deployment and feature, read from the workspace at scrape time (a collect()
 * callback), so they show what the latest checks recorded whichever process ran them. One read serves
 * every gauge of a scrape: prom-client collects all metrics concurrently, so the first collect starts the
 * read and the others share it.
 */
export function registerOperationsGauges(registry: Registry, db: Pick<Workspace, 'all'>): void {
  let reading: Promise<DeploymentGaugeValues[]> | null = null;
  const snapshot = (): Promise<DeploymentGaugeValues[]> => {
    reading ??= loadGaugeValues(db).finally(() => {
      reading = null;
    });
    return reading;
  };

  type Row = DeploymentGaugeValues;
  const perDeployment = (name: string, help: string, pick: (d: Row) => number | null): void => {
    new Gauge({
      name,
      help,
      labelNames: ['deployment'],
      registers: [registry],
      async collect() {
        const values = await snapshot();
        this.reset();
        for (const d of values) {
          const v = pick(d);
          if (v !== null) this.set({ deployment: d.deployment }, v);
        }
      },
    });
  };
  const perFeature = (name: string, help: string, pick: (f: Row['features'][number]) => number | null): void => {
    new Gauge({
      name,
      help,
      labelNames: ['deployment', 'feature'],
      registers: [registry],
      async collect() {
        const values = await snapshot();
        this.reset();
        for (const d of values) {
          for (const f of d.features) {
            const v = pick(f);
            if (v !== null) this.set({ deployment: d.deployment, feature: f.feature }, v);
          }
        }
      },
    });
  };

  perFeature(
    'bullpen_drift_psi',
    'Population stability index of a feature, current window against the reference (latest live check).',
    (f) => f.psi,
  );
  perFeature(
    'bullpen_drift_ks',
    'Kolmogorov-Smirnov statistic of a feature, current window against the reference (latest live check).',
    (f) => f.ks,
  );
  perDeployment(
    'bullpen_prediction_drift_ks',
    'Kolmogorov-Smirnov statistic of the predicted probabilities against the reference (latest live check).',
    (d) => d.predictionKs,
  );
  perDeployment('bullpen_drift_score', 'Composite drift score in [0, 1] (latest live check).', (d) => d.driftScore);
  perDeployment(
    'bullpen_rolling_roi',
    'Realized return on investment over the rolling performance window, as a ratio (latest live check).',
    (d) => d.rollingRoi,
  );
  perDeployment(
    'bullpen_rolling_log_loss',
    'Realized log loss over the rolling performance window (latest live check).',
    (d) => d.rollingLogLoss,
  );
  perDeployment('bullpen_alerts_firing', 'Live alerts firing now.', (d) => d.alertsFiring);
}
