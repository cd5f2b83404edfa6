import { contract, type Contract, type CvResult, type InputOf } from '../../../../src-main/api/contract';
import type { RunSummaryDto } from '../../../../src-main/api/contract/ops/tracking';
import { completedKinds, DomainService, type ServiceDeps } from '../domainService.svelte';

export type CvRequest = InputOf<Contract['ml.cv']>;
/**
 * What the CV form starts from: the contract's own defaults (5 splits, 90/30 days, gap and embargo 1).
 * A function, not a module constant: nothing may parse with zod before main.ts has made it jitless
 * (a bundler may run this module's chunk first), or the CSP reports zod's eval probe.
 */
export const cvDefaults = () => contract['ml.cv'].input.parse({});

/** How many completed CV runs the Backtests screen offers as a source. */
const CV_RUN_LIMIT = 100;

/** Time-series cross-validation: starting one, and the completed CV runs a backtest can bet. */
export class CvService extends DomainService {
  readonly crossValidation = this.launch('ml.cv');
  readonly completedRuns = this.query('list the CV runs', async () => {
    const { runs } = await this.client.call('ml.runs.list', { kind: 'cv', status: 'completed', limit: CV_RUN_LIMIT });
    return runs;
  });

  constructor(deps: ServiceDeps) {
    super(deps);
    this.refreshAfter(completedKinds('ml.cv'), this.completedRuns);
  }

  get runs(): RunSummaryDto[] {
    return this.completedRuns.current ?? [];
  }

  start(request: CvRequest): void {
    void this.crossValidation.start('start the cross-validation', () => this.client.call('ml.cv', request));
  }

  /** The last CV this window started, once it has completed. */
  get result(): CvResult | null {
    return this.crossValidation.result;
  }
}
