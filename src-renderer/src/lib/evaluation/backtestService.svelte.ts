import { contract, type Contract, type InputOf } from '../../../../src-main/api/contract';
import type { RunSummaryDto } from '../../../../src-main/api/contract/ops/tracking';
import { DomainService, endedKinds, type ServiceDeps } from '../domainService.svelte';

export type BacktestRequest = InputOf<Contract['ml.backtest']>;
/** The contract's defaults for everything but the seasons (edge, Kelly fraction, stake cap, odds); a function for the reason cvDefaults is. */
export const backtestDefaults = () => contract['ml.backtest'].input.parse({ seasons: '2000' });

/** How many earlier backtests the screen lists. */
const HISTORY_LIMIT = 50;

/** Backtests: starting one, the earlier ones, and the one shown. */
export class BacktestService extends DomainService {
  readonly history = this.query('list the backtests', async () => {
    const { runs } = await this.client.call('ml.runs.list', { kind: 'backtest', limit: HISTORY_LIMIT });
    return runs;
  });

  #shownId = $state<string | null>(null);
  readonly shown = this.query('load the backtest', () => this.client.call('ml.runs.get', { id: this.#shownId ?? '' }));

  // When the launched backtest completes, it is shown.
  readonly backtest = this.launch('ml.backtest', (result) => this.show(result.runId));

  constructor(deps: ServiceDeps) {
    super(deps);
    this.refreshAfter(endedKinds('ml.backtest'), this.history);
  }

  get runs(): RunSummaryDto[] {
    return this.history.current ?? [];
  }

  async open(): Promise<void> {
    await this.history.refresh();
  }

  start(request: BacktestRequest): void {
    this.#shownId = null;
    this.shown.clear();
    void this.backtest.start('start the backtest', () => this.client.call('ml.backtest', request));
  }

  show(id: string): void {
    this.#shownId = id;
    void this.shown.refresh();
  }
}
