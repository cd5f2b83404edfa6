import type { Contract, OutputOf } from '../../../../src-main/api/contract';
import type { GatedStage } from '../../../../src-main/shared/registry';
import type { ModelStage } from '../../../../src-main/shared/vocabulary';
import { DomainService, endedKinds, type ServiceDeps } from '../domainService.svelte';
import { describeError, type ShownError } from '../errorHint';

export type RegistryVersion = OutputOf<Contract['registry.list']>['versions'][number];
export type RegisteredModel = OutputOf<Contract['registry.show']>;
export type PromotionGate = OutputOf<Contract['registry.check']>;
export type AuditTrail = OutputOf<Contract['registry.audit']>;

/** The gated stages a version can move forward to from where it is (archived versions come back through rollback). */
const FORWARD: Partial<Record<ModelStage, GatedStage[]>> = { development: ['staging', 'production'], staging: ['production'] };

/** One registered model as the screen shows it: its versions, the rollback answer, and each gated move's verdict. */
export interface ModelView extends RegisteredModel {
  /** By version, then target stage: what `registry promote` would answer now (`registry check`). */
  gates: Record<number, Partial<Record<GatedStage, PromotionGate>>>;
}

/** A registry name and its versions, from the flat list. */
export interface ModelSummary {
  modelName: string;
  versions: RegistryVersion[];
  production: number | null;
}

/**
 * The model registry: registered versions, one model's versions with the verdict of every gate (asked of
 * the engine, the same rule `registry promote` applies, so a disabled button says the engine's reason),
 * the audit trail with its chain verified, and the changes (register, approve, reject, promote, archive,
 * rollback). A refused change keeps the screen as it was and says why beside the actions.
 */
export class RegistryService extends DomainService {
  readonly versions = this.query('list the registered models', async () => (await this.client.call('registry.list', {})).versions);

  #selected = $state<string | null>(null);
  readonly model = this.query(
    () => `open registered model ${this.#selected ?? ''}`,
    async (): Promise<ModelView | null> => {
      const name = this.#selected;
      if (!name) return null;
      const shown = await this.client.call('registry.show', { name });
      return { ...shown, gates: await this.#gatesOf(shown) };
    },
  );
  readonly audit = this.query('read the audit trail', () =>
    this.client.call('registry.audit', { ...(this.#selected ? { name: this.#selected } : {}), verify: true }),
  );
  /** Who approvals are recorded as (settings, else BULLPEN_USER, else the OS user). */
  readonly actor = this.query('read who you are', async () => (await this.client.call('settings.get', {})).actor);

  /** The change under way (its label), so buttons wait; null when idle. */
  busy = $state<string | null>(null);
  /** Why the last change was refused, shown beside the actions; cleared by the next change. */
  changeError = $state<ShownError | null>(null);

  /** The MLflow export this window started (a job with progress); the audit trail shows it once done. */
  readonly exporting = this.launch('export.mlflow', () => void this.audit.refresh());

  constructor(deps: ServiceDeps) {
    super(deps);
    // A validation or a training changes what the gates answer and which models can be registered.
    this.refreshAfter(endedKinds('ml.validate', 'ml.train'), this.versions, this.model);
  }

  /** Exports one version to the MLflow server of the settings (credentials stay in the engine's environment). */
  exportVersion(modelName: string, version: number): void {
    void this.exporting.start('start the MLflow export', () => this.client.call('export.mlflow', { model: `${modelName}:${version}` }));
  }

  get selected(): string | null {
    return this.#selected;
  }

  /** Registry names with their versions (newest first) and production version, in name order. */
  get models(): ModelSummary[] {
    const all = this.versions.current ?? [];
    const names = all.map((v) => v.modelName).filter((n, i, ns) => ns.indexOf(n) === i);
    return names.map((modelName) => {
      const versions = all.filter((v) => v.modelName === modelName);
      return { modelName, versions, production: versions.find((v) => v.stage === 'production')?.version ?? null };
    });
  }

  async open(): Promise<void> {
    await Promise.all([this.versions.refresh(), this.actor.refresh()]);
    if (!this.#selected && this.models[0]) this.#selected = this.models[0].modelName;
    await Promise.all([this.model.refresh(), this.audit.refresh()]);
  }

  select(name: string): void {
    this.#selected = name;
    this.changeError = null;
    void this.model.refresh();
    void this.audit.refresh();
  }

  register(model: string, as: string): Promise<boolean> {
    const name = as.trim() || model;
    return this.#change(`register ${model} as ${name}`, async () => {
      await this.client.call('registry.register', { model, ...(as.trim() ? { as: as.trim() } : {}) });
      this.#selected = name;
    });
  }

  decide(decision: 'approve' | 'reject', version: number, stage: GatedStage, comment: string): Promise<boolean> {
    const name = this.#selected ?? '';
    return this.#change(`${decision} version ${version} of ${name} for ${stage}`, () =>
      this.client.call(decision === 'approve' ? 'registry.approve' : 'registry.reject', { name: `${name}:${version}`, stage, comment }),
    );
  }

  promote(version: number, to: ModelStage): Promise<boolean> {
    const name = this.#selected ?? '';
    return this.#change(`promote version ${version} of ${name} to ${to}`, () =>
      this.client.call('registry.promote', { name: `${name}:${version}`, to }),
    );
  }

  rollback(): Promise<boolean> {
    const name = this.#selected ?? '';
    return this.#change(`roll back ${name}`, () => this.client.call('registry.rollback', { name }));
  }

  dismissChangeError(): void {
    this.changeError = null;
  }

  /** Runs one change, then reads back everything it can have moved; true when the engine accepted it. */
  async #change(label: string, work: () => Promise<unknown>): Promise<boolean> {
    this.busy = label;
    this.changeError = null;
    try {
      await work();
      return true;
    } catch (err) {
      this.changeError = describeError(err, label);
      return false;
    } finally {
      await Promise.all([this.versions.refresh(), this.model.refresh(), this.audit.refresh()]);
      this.busy = null;
    }
  }

  /** The gated moves the screen offers (forward only: development to staging or production, staging to production), asked of the engine in parallel. */
  async #gatesOf(shown: RegisteredModel): Promise<ModelView['gates']> {
    const asks = shown.versions.flatMap((v) => (FORWARD[v.stage] ?? []).map((to) => ({ v, to })));
    const answers = await Promise.all(
      asks.map(({ v, to }) => this.client.call('registry.check', { name: `${shown.modelName}:${v.version}`, to })),
    );
    const gates: ModelView['gates'] = {};
    for (const g of answers) gates[g.version] = { ...gates[g.version], [g.to as GatedStage]: g };
    return gates;
  }
}
