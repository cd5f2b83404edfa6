import type { Contract, OutputOf } from '../../../../src-main/api/contract';
import type { Job } from '../../../../src-main/shared/events';
import { completedKinds, DomainService, type ServiceDeps } from '../domainService.svelte';

export type FeatureCatalog = OutputOf<Contract['features.list']>;
export type FeatureEntry = FeatureCatalog['features'][number];
export type FeatureDetail = OutputOf<Contract['features.show']>;
export type SetQuality = OutputOf<Contract['features.quality']>;
export interface CatalogFilter {
  text: string;
  tag: string;
  owner: string;
}

/** Typing pauses this long before the catalog is searched again. */
const SEARCH_DEBOUNCE_MS = 200;
/** How many materializations the Features screen lists. */
const SHOWN_MATERIALIZATIONS = 3;
const MATERIALIZE = 'features.materialize';

/** Point-in-time features: the catalog and its search, one feature's detail, set quality, materialization. */
export class FeatureService extends DomainService {
  readonly catalog = this.query('load the feature catalog', () => this.client.call('features.list', {}));

  /** What the search boxes hold; the catalog is searched in the engine (as `bullpen features search`). */
  filter = $state<CatalogFilter>({ text: '', tag: '', owner: '' });
  /** Null while no filter is set: the whole catalog is shown. */
  readonly search = this.query('search the catalog', async () => {
    const text = this.filter.text.trim();
    const { tag, owner } = this.filter;
    const answer = await this.client.call('features.search', {
      ...(text ? { text } : {}),
      ...(tag ? { tag } : {}),
      ...(owner ? { owner } : {}),
    });
    return answer.features;
  });
  #searchTimer: ReturnType<typeof setTimeout> | undefined;

  selected = $state<string | null>(null);
  readonly detail = this.query(
    () => `open feature ${this.selected ?? ''}`,
    () => this.client.call('features.show', { name: this.selected ?? '' }),
  );

  qualitySet = $state('default');
  readonly quality = this.query(
    () => `load the quality of set ${this.qualitySet}`,
    () => this.client.call('features.quality', { set: this.qualitySet }),
  );

  readonly materialization = this.launch(MATERIALIZE);

  constructor(deps: ServiceDeps) {
    super(deps);
    // A finished materialization changes freshness and quality.
    this.refreshAfter(completedKinds(MATERIALIZE), this.catalog, this.detail, this.quality);
  }

  /** The features shown: the search's answer while a filter is set, else the whole catalog. */
  get shown(): FeatureEntry[] {
    return this.#filtering ? (this.search.current ?? []) : (this.catalog.current?.features ?? []);
  }

  get #filtering(): boolean {
    return Boolean(this.filter.text.trim() || this.filter.tag || this.filter.owner);
  }

  /** The last materializations, newest first, whoever started them. */
  get materializations(): Job[] {
    return this.deps.jobs.ofKind(MATERIALIZE, SHOWN_MATERIALIZATIONS);
  }

  get materializing(): boolean {
    return this.materialization.busy || this.materializations.some((j) => j.state === 'queued' || j.state === 'running');
  }

  /**
   * The catalog first, then the rest: on a new workspace the engine's first feature read registers the
   * built-in definitions, and concurrent first reads collide there (reported to the engine's owners).
   */
  async open(): Promise<void> {
    await this.catalog.refresh();
    await Promise.all([this.quality.refresh(), this.selected ? this.detail.refresh() : undefined]);
  }

  /** Changes the search; the engine is asked once typing pauses. */
  setFilter(change: Partial<CatalogFilter>): void {
    this.filter = { ...this.filter, ...change };
    clearTimeout(this.#searchTimer);
    if (!this.#filtering) {
      this.search.clear();
      return;
    }
    this.#searchTimer = setTimeout(() => void this.search.refresh(), SEARCH_DEBOUNCE_MS);
  }

  openFeature(name: string): void {
    this.selected = name;
    void this.detail.refresh();
  }

  chooseSet(name: string): void {
    this.qualitySet = name;
    void this.quality.refresh();
  }

  materialize(force: boolean): void {
    const set = this.qualitySet;
    void this.materialization.start(`materialize set ${set}`, () => this.client.call(MATERIALIZE, { set, force }));
  }
}
