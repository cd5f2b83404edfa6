import { z } from 'zod';
import { validationError } from '../../../src-main/shared/errors';
import { sortedPresent, type NumericValues } from './columns';
import { jensenShannonOfPresent, type JensenShannonResult } from './jensenShannon';
import { ksTestOfPresent, type KsResult } from './ks';
import { fmt, type Monitor, type MonitorResult, type MonitorStatus } from './monitor';
import { psiOfPresent, type PsiResult } from './psi';

/**
 * Prediction drift: how far the distribution of the model's predicted probabilities in the current window
 * has moved from the reference's. The value is the KS statistic (NannyML reports the statistic, not its
 * p-value), alerting above 0.3, the original system's rule. With 1,000 games a side the 5% critical value is
 * about 0.06, so 0.3 catches only gross shifts; the PSI over the reference's prediction deciles is reported
 * beside it and warns above 0.2, so a smaller but real shift is visible without alerting.
 */

export const predictionDriftConfigSchema = z
  .object({
    ksThreshold: z.number().gt(0).max(1).default(0.3),
    psiThreshold: z.number().gt(0).default(0.2),
  })
  .strict();
export type PredictionDriftConfig = z.input<typeof predictionDriftConfigSchema>;

export interface PredictionDriftResult extends MonitorResult {
  monitor: 'predictionDrift';
  subject: null;
  ks: KsResult;
  psi: PsiResult;
  jensenShannon: JensenShannonResult;
}

/** KS statistic (and p-value), PSI and JS distance of current predicted probabilities against the reference's. */
export function predictionDrift(
  reference: NumericValues,
  current: NumericValues,
  config: PredictionDriftConfig = {},
): PredictionDriftResult {
  const parsed = predictionDriftConfigSchema.safeParse(config);
  if (!parsed.success) throw validationError('predictionDrift', parsed.error);
  const { ksThreshold, psiThreshold } = parsed.data;
  const ref = sortedPresent(reference);
  const cur = sortedPresent(current);
  const ks = ksTestOfPresent(ref, cur);
  const psi = psiOfPresent(ref, cur);
  const jensenShannon = jensenShannonOfPresent(ref, cur);
  let status: MonitorStatus;
  let explanation: string;
  if (ks.statistic === null) {
    status = 'unknown';
    explanation = `cannot measure prediction drift: ${ks.reason}`;
  } else {
    const psiHigh = psi.value !== null && psi.value > psiThreshold;
    status = ks.statistic > ksThreshold ? 'alert' : psiHigh ? 'warn' : 'ok';
    explanation =
      `predicted probabilities: KS ${fmt(ks.statistic)} ${ks.statistic > ksThreshold ? '>' : '≤'} ${fmt(ksThreshold)} ` +
      `(p ${fmt(ks.pValue)}), PSI ${fmt(psi.value)}${psiHigh ? ` > ${fmt(psiThreshold)}` : ''}; ${ks.n.current} current and ${ks.n.reference} reference predictions`;
  }
  return {
    monitor: 'predictionDrift',
    subject: null,
    value: ks.statistic,
    threshold: ksThreshold,
    status,
    explanation,
    ks,
    psi,
    jensenShannon,
  };
}

export function predictionDriftMonitor(config: PredictionDriftConfig = {}): Monitor<NumericValues, NumericValues, PredictionDriftResult> {
  return { name: 'predictionDrift', check: (reference, current) => predictionDrift(reference, current, config) };
}
