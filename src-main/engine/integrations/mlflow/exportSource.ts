import { BullpenError, inputError } from '../../../shared/errors';
import { MODEL_NAME_PATTERN } from '../../../shared/modelName';
import type { ValidationRecord, ValidationReport } from '../../../shared/results';
import type { EngineDeps } from '../../engineDeps';
import type { RegistryService, RegistryVersion } from '../../registry/registryService';
import type { StoredModel } from '../../tracking/modelService';
import type { RunDetail, RunParams } from '../../tracking/runTypes';

/** What an export reads from the workspace, and the registry it appends its audit entry to. */
export type ExportDeps = Pick<EngineDeps, 'runs' | 'models' | 'validations' | 'settings' | 'features' | 'workspace' | 'registry'>;

/** Everything one export sends, read from the workspace before MLflow is contacted. */
export interface ExportSource {
  /** The registry version exported, or null for a trained model exported by its name. */
  registry: RegistryVersion | null;
  model: StoredModel;
  run: RunDetail;
  params: RunParams;
  validation: { record: ValidationRecord; report: ValidationReport; html: string } | null;
}

/** `NAME` or `NAME:VERSION`. */
export function parseModelRef(ref: string): { name: string; version: number | undefined } {
  const m = /^(.+?)(?::(\d+))?$/.exec(ref.trim());
  const name = m?.[1] ?? '';
  if (!MODEL_NAME_PATTERN.test(name))
    throw inputError('BAD_MODEL_REF', `--model ${ref}: give a model name or NAME:VERSION (a registry version)`, { model: ref });
  return { name, version: m?.[2] !== undefined ? Number(m[2]) : undefined };
}

/** The registry's version, or null when the registry does not know the name. */
async function registryVersion(registry: RegistryService, name: string, version: number | undefined): Promise<RegistryVersion | null> {
  try {
    return await registry.version(name, version);
  } catch (err) {
    // A name the registry does not hold may still be a trained model; a version that does not exist may not.
    if (err instanceof BullpenError && err.kind === 'notFound' && version === undefined) return null;
    throw err;
  }
}

/**
 * Resolves `--model NAME[:VERSION]`: a registry version (NAME:VERSION, or NAME for its production version,
 * else its latest), else a trained model by name; then its training run, typed params and latest validation.
 */
export async function resolveExportSource(deps: ExportDeps, ref: string): Promise<ExportSource> {
  const { name, version } = parseModelRef(ref);
  const registry = await registryVersion(deps.registry, name, version);
  if (!registry && version !== undefined)
    throw new BullpenError(
      'notFound',
      'REGISTRY_VERSION_NOT_FOUND',
      `--model ${ref}: the registry has no model ${name} (register one with \`bullpen registry register MODEL --as ${name}\`, or export a trained model by its name alone)`,
      { model: ref },
    );
  const model = await deps.models.get(registry ? registry.sourceModel : name);
  const run = await deps.runs.get(model.runId);
  const params = await deps.runs.params(model.runId);
  const record = await deps.validations.latest(model.name);
  let validation: ExportSource['validation'] = null;
  if (record) {
    const shown = await deps.validations.show({ id: record.runId });
    const page = await deps.validations.html({ id: record.runId });
    validation = { record, report: shown.report, html: page.html };
  }
  return { registry, model, run, params, validation };
}
