import type { Contract, OutputOf } from '../../../../src-main/api/contract';
import type { ValidationRecord, ValidationReport } from '../../../../src-main/shared/results';
import { DomainService, endedKinds, type ServiceDeps } from '../domainService.svelte';
import { describeError, type ShownError } from '../errorHint';
import { saveFile } from '../export/saveFile';

export type StoredPolicy = OutputOf<Contract['ml.policy.get']>;
export type { ValidationRecord, ValidationReport };

/** How many validations the screen lists. */
const LIST_LIMIT = 200;

/** Which validation is shown: one by its run id, or the latest of a model (opened from the Experiments screen). */
type Shown = { id: string } | { model: string };

/**
 * Validations: starting one (a job), the stored ones, the one shown with its HTML report, and the
 * workspace's validation policy. A policy the engine refuses is kept as the user typed it: the error
 * goes beside the editor and nothing is reloaded over the text.
 */
export class ValidationService extends DomainService {
  readonly records = this.query('list the validations', () => this.client.call('ml.validations.list', { limit: LIST_LIMIT }));

  #shown = $state<Shown | null>(null);
  /** The model whose latest validation the Experiments screen asked for and which has none yet. */
  missingFor = $state<string | null>(null);
  readonly shown = this.query('load the validation', async () => {
    const ref = this.#shown;
    if (!ref) return null;
    const { record, report } = await this.client.call('ml.validations.show', ref);
    // The page is read by the same run id, so the report and its page are always the same validation.
    const { html } = await this.client.call('ml.validations.html', { id: record.id });
    return { record, report, html: html ?? '' };
  });

  readonly policy = this.query('read the validation policy', () => this.client.call('ml.policy.get', {}));
  /** Why the last save of the policy was refused (POLICY_INVALID names the key and the likely intended one). */
  policyError = $state<ShownError | null>(null);
  policySaving = $state(false);
  /** Bumped on every successful save, so the screen can say "saved" and reload the editor's text. */
  policySaves = $state(0);

  // The validation this window started is shown once it completes.
  readonly validation = this.launch('ml.validate', (result) => this.show({ id: result.runId }));

  constructor(deps: ServiceDeps) {
    super(deps);
    // Training validates automatically (autoValidate): an ended validation job from anywhere adds a row.
    this.refreshAfter(endedKinds('ml.validate'), this.records);
  }

  get list(): ValidationRecord[] {
    return this.records.current ?? [];
  }

  /** Reads what the screen shows; a model asked for by another screen is looked up first. */
  async open(): Promise<void> {
    await Promise.all([this.records.refresh(), this.policy.refresh(), this.#shown ? this.shown.refresh() : Promise.resolve()]);
  }

  validate(model: string, seasons: string): void {
    this.missingFor = null;
    void this.validation.start('start the validation', () =>
      this.client.call('ml.validate', { model, ...(seasons.trim() ? { seasons: seasons.trim() } : {}) }),
    );
  }

  show(ref: Shown): void {
    this.#shown = ref;
    void this.shown.refresh();
  }

  /**
   * Shows a model's latest validation when the screen opens (the Experiments screen's "Validation"
   * button); a model never validated leaves nothing shown and says so, instead of an error.
   */
  async focusModel(model: string): Promise<void> {
    this.missingFor = null;
    this.#shown = null;
    this.shown.clear();
    try {
      const [latest] = await this.client.call('ml.validations.list', { model, limit: 1 });
      if (latest) this.show({ id: latest.id });
      else this.missingFor = model;
    } catch (err) {
      this.shown.error = describeError(err, `find the validations of ${model}`);
    }
  }

  /** Saves the policy text; true when the engine accepted it. A refused text stays in the editor with the reason. */
  async savePolicy(text: string): Promise<boolean> {
    return this.#setPolicy({ text }, 'save the validation policy');
  }

  async resetPolicy(): Promise<boolean> {
    return this.#setPolicy({ reset: true }, 'reset the validation policy');
  }

  async #setPolicy(input: { text: string } | { reset: true }, during: string): Promise<boolean> {
    this.policySaving = true;
    try {
      this.policy.current = await this.client.call('ml.policy.set', input);
      this.policyError = null;
      this.policySaves++;
      return true;
    } catch (err) {
      this.policyError = describeError(err, during);
      return false;
    } finally {
      this.policySaving = false;
    }
  }

  dismissPolicyError(): void {
    this.policyError = null;
  }

  /** Saves the shown validation's HTML page through the browser (serve) or the save dialog (desktop). */
  saveReport(): void {
    const shown = this.shown.current;
    if (!shown?.html) return;
    const day = shown.record.validatedAt.slice(0, 10);
    const safe = shown.record.modelName.replace(/[^A-Za-z0-9._-]+/g, '-');
    saveFile(`validation-${safe}-${day}.html`, 'text/html', shown.html);
  }
}
