import { inputError } from '../../../shared/errors';
import type { FeatureService } from '../../features/featureService';
import type { OddsSide } from '../../../shared/vocabulary';

/**
 * Features tagged with this are known only when the market closes (the closing line itself, the
 * movement from open to close). Tag your own definitions with it when they read closing prices.
 */
export const CLOSING_LINE_TAG = 'closing-line';

/**
 * A model that reads the closing line cannot have bet at the opening price: at the open that line did
 * not exist yet, so such a backtest would be betting with the future. Refused with the features named.
 */
export async function assertNoClosingLineAtOpen(
  features: Pick<FeatureService, 'withTag'>,
  odds: OddsSide,
  what: string,
  used: { name: string; version: number }[],
): Promise<void> {
  if (odds !== 'open') return;
  const late = await features.withTag(used, CLOSING_LINE_TAG);
  if (late.length === 0) return;
  throw inputError(
    'BACKTEST_CLOSE_FEATURES_AT_OPEN',
    `${what} uses features known only at the close (${late.join(', ')}), so it cannot bet opening prices: backtest with --odds close, or train on a feature set without them`,
    { features: late },
  );
}
