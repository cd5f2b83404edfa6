import type { Contract, OutputOf } from '../../../../src-main/api/contract';
import type { RunDetailDto, RunSummaryDto } from '../../../../src-main/api/contract/ops/tracking';
import type { RunKind } from '../../../../src-main/shared/vocabulary';
import { DomainService, type ServiceDeps } from '../domainService.svelte';

export type RunComparison = OutputOf<Contract['ml.runs.compare']>;
export type { RunDetailDto, RunSummaryDto };
export type SortOrder = 'asc' | 'desc';

/** How many runs the table shows at most. */
const LIST_LIMIT = 500;
/** Sort keys that read best smallest first; everything else (times, ROI, accuracy) largest first. */
const ASCENDING_FIRST = new Set(['name', 'metric.logLoss']);

/** Tracked runs: the searchable table, one run's detail, and runs compared side by side. */
export class RunService extends DomainService {
  search = $state('');
  /** Empty: every kind. A child kind (a CV's folds, a backtest's strategies) lists child runs too. */
  kind = $state<RunKind | ''>('');
  /** `metric.logLoss<0.69; tag.note=baseline`, separated by semicolons or new lines. */
  filterText = $state('');
  sort = $state('startedAt');
  order = $state<SortOrder>('desc');

  readonly list = this.query('list runs', async () => {
    const filter = this.filterText
      .split(/[;\n]/)
      .map((f) => f.trim())
      .filter(Boolean);
    const out = await this.client.call('ml.runs.list', {
      search: this.search || undefined,
      kind: this.kind || undefined,
      children: this.kind !== '',
      filter,
      sort: this.sort,
      order: this.order,
      limit: LIST_LIMIT,
    });
    return out.runs;
  });

  /** Runs ticked for comparison, by id. */
  selected = $state<Record<string, boolean>>({});

  #openId = $state<string | null>(null);
  readonly detail = this.query('load the run', () => this.client.call('ml.runs.get', { id: this.#openId ?? '' }));

  #compareIds: string[] = [];
  readonly comparison = this.query('compare runs', async () => {
    const ids = this.#compareIds;
    const [table, runs] = await Promise.all([
      this.client.call('ml.runs.compare', { ids }),
      Promise.all(ids.map((id) => this.client.call('ml.runs.get', { id }))),
    ]);
    return { table, runs };
  });

  constructor(deps: ServiceDeps) {
    super(deps);
    // A run appears, or changes state, when an ML job ends.
    this.refreshAfter((job) => job.kind.startsWith('ml.'), this.list);
  }

  get runs(): RunSummaryDto[] {
    return this.list.current ?? [];
  }

  get selectedIds(): string[] {
    return this.runs.filter((r) => this.selected[r.id]).map((r) => r.id);
  }

  async open(): Promise<void> {
    await this.list.refresh();
  }

  reload(): void {
    void this.list.refresh();
  }

  /** Sorts by a column; the same column again flips the order. */
  sortBy(key: string): void {
    if (this.sort === key) this.order = this.order === 'asc' ? 'desc' : 'asc';
    else {
      this.sort = key;
      this.order = ASCENDING_FIRST.has(key) ? 'asc' : 'desc';
    }
    this.reload();
  }

  openRun(id: string): void {
    this.#openId = id;
    void this.detail.refresh();
  }

  closeRun(): void {
    this.#openId = null;
    this.detail.clear();
  }

  compareSelected(): void {
    this.#compareIds = this.selectedIds;
    void this.comparison.refresh();
  }
}
