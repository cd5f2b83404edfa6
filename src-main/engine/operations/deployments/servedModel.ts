import { BullpenError, notFoundError } from '../../../shared/errors';
import { registryRefSchema } from '../../../shared/registry';
import type { RegistryService } from '../../registry/registryService';
import type { ModelService, StoredModel } from '../../tracking/modelService';

/** What a deployment binds: a registry name and version (null for a replay's plain trained model), and the trained model it holds. */
export interface ModelBinding {
  modelName: string;
  version: number | null;
  sourceModel: string;
  /** The training run the binding serves: a registered version's run, or the plain model's current one. */
  runId: string;
}

export interface ModelResolver {
  models: Pick<ModelService, 'find' | 'get'>;
  registry: Pick<RegistryService, 'show' | 'version'>;
}

function isNotFound(err: unknown): boolean {
  return err instanceof BullpenError && err.kind === 'notFound';
}

/** The registry's production version of `name`, refused (naming the way out) when it has none. */
async function productionVersion(deps: ModelResolver, name: string): Promise<ModelBinding> {
  let versions;
  try {
    versions = await deps.registry.show(name);
  } catch (err) {
    if (isNotFound(err) && (await deps.models.find(name)))
      throw notFoundError(
        'MODEL_NOT_REGISTERED',
        `model ${name} is trained but not registered: a deployment serves a registry version; \`bullpen registry register ${name}\`, approve and promote it to production, then deploy it`,
        { model: name },
      );
    throw err;
  }
  const live = versions.find((v) => v.stage === 'production');
  if (!live) {
    const latest = versions[0];
    throw notFoundError(
      'NO_PRODUCTION_VERSION',
      `${name} has no production version: promote one with \`bullpen registry promote ${name}:${latest.version} --to production\`, or deploy a version explicitly with --model ${name}:VERSION`,
      { modelName: name, versions: versions.map((v) => ({ version: v.version, stage: v.stage })) },
    );
  }
  return { modelName: live.modelName, version: live.version, sourceModel: live.sourceModel, runId: live.runId };
}

/**
 * Resolves `--model` for a deployment: NAME is the registry's production version, NAME:VERSION that
 * version. A replay may also serve a trained model that was never registered (version null); there a
 * plain NAME is the trained model first, since a replay is how a candidate is tried before registering.
 */
export async function resolveBinding(deps: ModelResolver, model: string, replay: boolean): Promise<ModelBinding> {
  const ref = registryRefSchema.safeParse(model);
  if (!ref.success)
    throw new BullpenError('input', 'BAD_MODEL_REF', `--model ${model} is not NAME or NAME:VERSION of the registry`, { model });
  const { name, version } = ref.data;
  if (version !== undefined) {
    const v = await deps.registry.version(name, version);
    return { modelName: v.modelName, version: v.version, sourceModel: v.sourceModel, runId: v.runId };
  }
  if (replay) {
    const plain = await deps.models.find(name);
    if (plain) return { modelName: plain.name, version: null, sourceModel: plain.name, runId: plain.runId };
  }
  return productionVersion(deps, name);
}

/**
 * The trained model behind a binding, refused when the model name now holds another training than the
 * one bound (a retraining replaces the model under its name): serving it would silently swap models.
 */
export async function boundModel(models: Pick<ModelService, 'get'>, binding: ModelBinding): Promise<StoredModel> {
  const model = await models.get(binding.sourceModel);
  if (binding.version !== null && model.runId !== binding.runId)
    throw new BullpenError(
      'conflict',
      'MODEL_RETRAINED',
      `version ${binding.version} of ${binding.modelName} holds the training run ${binding.runId.slice(0, 8)} of ${binding.sourceModel}, but ${binding.sourceModel} was trained again since (run ${model.runId.slice(0, 8)}): register and promote the new training, then start a new deployment`,
      { modelName: binding.modelName, version: binding.version, boundRun: binding.runId, currentRun: model.runId },
    );
  return model;
}

/** Model texts by training run: a replay scores every day with the same model, and the text is megabytes. */
export class ModelTextCache {
  private readonly texts = new Map<string, string>();
  constructor(
    private readonly models: Pick<ModelService, 'text'>,
    private readonly capacity = 4,
  ) {}

  async get(model: StoredModel): Promise<string> {
    const hit = this.texts.get(model.runId);
    if (hit !== undefined) return hit;
    const text = await this.models.text(model);
    if (this.texts.size >= this.capacity) this.texts.delete(this.texts.keys().next().value as string);
    this.texts.set(model.runId, text);
    return text;
  }
}
