import { BullpenError, notFoundError } from '../../shared/errors';
import { decodeArtifact, type ValidationRecord, type ValidationReport } from '../../shared/results';
import { gateNameSchema, type GateName } from '../../shared/validationPolicy';
import type { ModelStage } from '../../shared/vocabulary';
import type { ModelService } from '../tracking/modelService';
import type { RunService } from '../tracking/runService';
import type { RunSummary } from '../tracking/runTypes';
import type { Workspace } from '../workspace/workspace';
import { PolicyStore } from './policyStore';
import { promotionDecision } from './promotion';
import type { ValidationService } from './validationService';

/** Tags a validation run carries, so listings need no report: its verdict and the gates that failed. */
export const VALIDATION_TAGS = { status: 'validation.status', failed: 'validation.failedGates' } as const;

function toRecord(run: RunSummary): ValidationRecord {
  const status = run.tags[VALIDATION_TAGS.status] === 'passed' ? 'passed' : 'failed';
  const failed = (run.tags[VALIDATION_TAGS.failed] ?? '')
    .split(',')
    .map((g) => g.trim())
    .filter((g): g is GateName => gateNameSchema.safeParse(g).success);
  return {
    id: run.id,
    modelName: String(run.params.model ?? ''),
    runId: run.id,
    status,
    failedGates: failed,
    validatedAt: run.finishedAt ?? run.startedAt,
    trainedAt: String(run.params.trainedAt ?? ''),
  };
}

/** Validations as `validation` runs of the tracking store; the policy in the workspace. */
export class RunValidations implements ValidationService {
  private readonly policies: PolicyStore;

  constructor(
    workspace: Pick<Workspace, 'meta' | 'setMeta'>,
    private readonly runs: RunService,
    private readonly models: ModelService,
  ) {
    this.policies = new PolicyStore(workspace);
  }

  policy() {
    return this.policies.get();
  }

  setPolicy(text: string, source: string) {
    return this.policies.set(text, source);
  }

  resetPolicy() {
    return this.policies.reset();
  }

  async list(query: { model?: string; limit: number }): Promise<ValidationRecord[]> {
    const runs = await this.runs.list({
      kind: 'validation',
      status: 'completed',
      filters: query.model ? [`param.model=${query.model}`] : [],
      sort: 'startedAt',
      order: 'desc',
      limit: query.limit,
    });
    // The filter matches text; a model name is compared exactly here.
    return runs.map(toRecord).filter((r) => !query.model || r.modelName === query.model);
  }

  async latest(model: string): Promise<ValidationRecord | null> {
    return (await this.list({ model, limit: 1 }))[0] ?? null;
  }

  private async resolve(ref: { id?: string; model?: string }): Promise<RunSummary> {
    if (ref.id) {
      const run = await this.runs.get(ref.id);
      if (run.kind !== 'validation')
        throw new BullpenError('input', 'NOT_A_VALIDATION', `run ${run.id.slice(0, 8)} is a ${run.kind} run, not a validation`, {
          id: run.id,
        });
      if (run.status !== 'completed')
        throw new BullpenError(
          'input',
          'VALIDATION_NOT_COMPLETED',
          `validation run ${run.id.slice(0, 8)} is ${run.status}: it has no report`,
          {
            id: run.id,
          },
        );
      return run;
    }
    const name = ref.model ?? '';
    await this.models.get(name);
    const latest = await this.latest(name);
    if (!latest)
      throw notFoundError('NO_VALIDATION', `model ${name} has no validation yet: run \`bullpen ml validate --model ${name}\``, {
        model: name,
      });
    return this.runs.get(latest.runId);
  }

  async show(ref: { id?: string; model?: string }): Promise<{ record: ValidationRecord; report: ValidationReport }> {
    const run = await this.resolve(ref);
    const text = await this.runs.artifact(run.id, 'validation.json');
    const decoded = text === undefined ? null : decodeArtifact('validation.json', text);
    if (!decoded?.ok)
      throw new BullpenError(
        'input',
        'VALIDATION_REPORT_UNREADABLE',
        `validation run ${run.id.slice(0, 8)} has no readable report${decoded && !decoded.ok ? ` (${decoded.issue})` : ''}: validate the model again`,
        { id: run.id },
      );
    return { record: toRecord(run), report: decoded.data };
  }

  async html(ref: { id?: string; model?: string }): Promise<{ runId: string; html: string }> {
    const run = await this.resolve(ref);
    const html = await this.runs.artifact(run.id, 'report.html');
    if (html === undefined)
      throw new BullpenError('input', 'VALIDATION_REPORT_UNREADABLE', `validation run ${run.id.slice(0, 8)} has no HTML report`, {
        id: run.id,
      });
    return { runId: run.id, html };
  }

  async promotion(model: string, stage: ModelStage) {
    const m = await this.models.get(model);
    const latest = await this.latest(model);
    return { ...promotionDecision(m, latest, stage), validation: latest };
  }
}
