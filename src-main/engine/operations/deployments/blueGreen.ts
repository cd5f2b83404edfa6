import { BullpenError, inputError } from '../../../shared/errors';
import { registryRefSchema } from '../../../shared/registry';
import type { DeploySwitchResult, HealthCheck } from '../../../shared/results/blueGreen';
import type { Experiment } from '../../../shared/results/experiments';
import type { Deployment } from '../../../shared/results/operations';
import type { RegistryService, RegistryVersion } from '../../registry/registryService';
import type { ModelService } from '../../tracking/modelService';
import type { Scope } from '../operationsTypes';
import type { DuckDbDeployments } from './duckDbDeployments';
import { healthCheck, type HealthCheckDeps } from './healthCheck';
import { boundModel, type ModelBinding } from './servedModel';

export interface BlueGreenDeps extends HealthCheckDeps {
  models: Pick<ModelService, 'get' | 'text'>;
  registry: Pick<RegistryService, 'show' | 'version' | 'promote' | 'rollback' | 'rollbackCheck'>;
  deployments: Pick<DuckDbDeployments, 'get' | 'switchServed'>;
  /** A running A/B experiment compares against the served version: a switch under it is refused. */
  experiments: { list(filter: { deployment?: string; all: boolean }, scope: Scope): Promise<Experiment[]> };
}

const ref = (v: { modelName: string; version: number | null }): string => `${v.modelName}:${v.version ?? '?'}`;

/**
 * Switches and rollbacks one at a time per workspace: each reads the state it changes (what the
 * deployment serves, the production version) after the one before it has committed. The workspace
 * file is open in one process only, so this queue sees every switch.
 */
const queues = new WeakMap<object, Promise<unknown>>();
function serialized<T>(key: object, work: () => Promise<T>): Promise<T> {
  const run = (queues.get(key) ?? Promise.resolve()).then(work);
  queues.set(
    key,
    run.catch(() => undefined),
  );
  return run;
}

/** The active deployment, refused when it was stopped (a stopped deployment serves nothing to switch). */
async function activeDeployment(deps: BlueGreenDeps, name: string, scope: Scope): Promise<Deployment> {
  const dep = await deps.deployments.get(name, scope);
  if (dep.status !== 'active')
    throw new BullpenError(
      'conflict',
      'DEPLOYMENT_STOPPED',
      `deployment ${name} was stopped at ${dep.stoppedAt ?? '?'}: it serves nothing to switch; start one with \`bullpen deploy start --model ${dep.modelName}\``,
      { name, id: dep.id },
    );
  return dep;
}

async function refuseDuringExperiment(deps: BlueGreenDeps, dep: Deployment, what: string, scope: Scope): Promise<void> {
  const running = await deps.experiments.list({ deployment: dep.name, all: false }, scope);
  if (running.length)
    throw new BullpenError(
      'conflict',
      'DEPLOYMENT_EXPERIMENT_RUNNING',
      `deployment ${dep.name} runs A/B experiment ${running[0].name} against ${ref(dep)}: ${what} would change its control under it; stop it (\`bullpen ab stop ${running[0].name}\`) or promote its challenger (\`bullpen ab promote ${running[0].name}\`) first`,
      { name: dep.name, experiment: running[0].name },
    );
}

/**
 * Blue-green moves the registry's production version and the deployment together, so that a rollback
 * (the registry's: the version that left production last) brings back what the deployment served
 * before. A deployment serving another version than production is refused, naming both.
 */
async function refuseOutOfSync(deps: BlueGreenDeps, dep: Deployment): Promise<void> {
  const production = (await deps.registry.show(dep.modelName)).find((v) => v.stage === 'production');
  if (production && production.version === dep.version) return;
  throw new BullpenError(
    'conflict',
    'DEPLOYMENT_OUT_OF_SYNC',
    `deployment ${dep.name} serves ${ref(dep)}, but ${production ? `${dep.modelName}'s production version is ${production.version}` : `${dep.modelName} has no production version`}: ` +
      `a blue-green switch moves the production version and the deployment together, so that a rollback restores what it served; ` +
      (production
        ? `start a deployment of the production version (\`bullpen deploy start --model ${dep.modelName}\`)`
        : `promote ${ref(dep)} to production first (\`bullpen registry promote ${ref(dep)} --to production\`)`),
    { name: dep.name, serving: dep.version, production: production?.version ?? null },
  );
}

const bindingOf = (v: RegistryVersion): ModelBinding => ({
  modelName: v.modelName,
  version: v.version,
  sourceModel: v.sourceModel,
  runId: v.runId,
});

/**
 * The deployment's one write, after the registry has moved: when it fails (stopped, or changed by
 * someone else meanwhile) the registry's move is undone with its own rollback, which restores the
 * version that just left production, so registry and deployment never disagree because of this call.
 */
async function serveAfterRegistry(
  deps: BlueGreenDeps,
  dep: Deployment,
  to: RegistryVersion,
  actor: string,
  scope: Scope,
): Promise<Deployment> {
  try {
    return await deps.deployments.switchServed(
      dep.name,
      { version: dep.version, sourceModel: dep.sourceModel },
      { version: to.version, sourceModel: to.sourceModel },
      scope,
    );
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    try {
      await deps.registry.rollback(dep.modelName, actor, `undone: deployment ${dep.name} could not serve ${ref(to)} (${why})`);
    } catch (undo) {
      throw new BullpenError(
        'internal',
        'SWITCH_UNDO_FAILED',
        `deployment ${dep.name} could not serve ${ref(to)} (${why}), and undoing its promotion failed too (${undo instanceof Error ? undo.message : String(undo)}): ${dep.modelName}'s production version and the deployment now differ; \`bullpen registry show ${dep.modelName}\` and \`bullpen deploy show ${dep.name}\` show both`,
        { name: dep.name, modelName: dep.modelName, version: to.version },
      );
    }
    throw err;
  }
}

function result(dep: Deployment, to: RegistryVersion, check: HealthCheck, scope: Scope): DeploySwitchResult {
  return {
    deployment: dep.name,
    from: { modelName: dep.modelName, version: dep.version as number },
    to: { modelName: to.modelName, version: to.version },
    healthCheck: check,
    switchedAt: scope.clock.now().toISOString(),
  };
}

/**
 * `deploy switch NAME --to MODEL:VERSION`: a blue-green switch. The new version must pass the health
 * check (its model reproduces its validation's probabilities) and the registry's promotion gates; it is
 * promoted to production (audited with the actor and reason), then the deployment serves it in one write.
 * Every refusal before the promotion changes nothing.
 */
export function switchDeployment(
  deps: BlueGreenDeps,
  input: { name: string; to: string; reason?: string; actor: string },
  scope: Scope,
): Promise<DeploySwitchResult> {
  return serialized(deps.workspace, async () => {
    const dep = await activeDeployment(deps, input.name, scope);
    const parsed = registryRefSchema.safeParse(input.to);
    if (!parsed.success) throw inputError('BAD_MODEL_REF', `--to ${input.to} is not MODEL:VERSION of the registry`, { to: input.to });
    const { name: modelName, version } = parsed.data;
    if (version === undefined)
      throw new BullpenError(
        'usage',
        'SWITCH_VERSION_REQUIRED',
        `--to ${input.to} names no version: a switch serves one registry version, e.g. --to ${modelName}:${(dep.version ?? 0) + 1}`,
        { to: input.to },
      );
    if (modelName !== dep.modelName)
      throw inputError(
        'SWITCH_OTHER_MODEL',
        `deployment ${dep.name} serves registered model ${dep.modelName}; --to ${input.to} is another one: register that training as a version of ${dep.modelName} (\`bullpen registry register MODEL --as ${dep.modelName}\`), or start a deployment of ${modelName}`,
        { name: dep.name, modelName: dep.modelName, to: input.to },
      );
    if (version === dep.version)
      throw new BullpenError(
        'conflict',
        'DEPLOYMENT_ALREADY_SERVES',
        `deployment ${dep.name} serves ${ref(dep)} already: nothing to switch`,
        {
          name: dep.name,
          version,
        },
      );
    await refuseDuringExperiment(deps, dep, 'a switch', scope);
    await refuseOutOfSync(deps, dep);
    const target = await deps.registry.version(modelName, version);
    const binding = bindingOf(target);
    const check = await healthCheck(deps, binding, await boundModel(deps.models, binding));
    const why = `blue-green switch of deployment ${dep.name} from ${ref(dep)} to ${ref(target)}${input.reason ? `: ${input.reason}` : ''} (health check: ${check.games} games as validated)`;
    const promoted = await deps.registry.promote(modelName, version, 'production', input.actor, why);
    await serveAfterRegistry(deps, dep, promoted, input.actor, scope);
    return result(dep, promoted, check, scope);
  });
}

/**
 * `deploy rollback NAME`: one step back. The registry restores the version that left production last
 * (which, while deployment and registry move together, is the one the deployment served before its last
 * switch), after the same health check, and the deployment serves it in one write. Refused when the
 * registry has no earlier production version.
 */
export function rollbackDeployment(
  deps: BlueGreenDeps,
  input: { name: string; reason?: string; actor: string },
  scope: Scope,
): Promise<DeploySwitchResult> {
  return serialized(deps.workspace, async () => {
    const dep = await activeDeployment(deps, input.name, scope);
    await refuseDuringExperiment(deps, dep, 'a rollback', scope);
    await refuseOutOfSync(deps, dep);
    const gate = await deps.registry.rollbackCheck(dep.modelName);
    if (!gate.allowed || gate.to === null)
      throw new BullpenError('conflict', 'NOTHING_TO_ROLL_BACK', `deployment ${dep.name} has nothing to roll back to: ${gate.reason}`, {
        name: dep.name,
        serving: dep.version,
      });
    const target = await deps.registry.version(dep.modelName, gate.to);
    const binding = bindingOf(target);
    const check = await healthCheck(deps, binding, await boundModel(deps.models, binding));
    const why = `rollback of deployment ${dep.name} from ${ref(dep)} to ${ref(target)}${input.reason ? `: ${input.reason}` : ''} (health check: ${check.games} games as validated)`;
    const restored = await deps.registry.rollback(dep.modelName, input.actor, why);
    if (restored.version !== target.version) {
      // Another change reached the registry between the check and the rollback: the checked version is not the restored one.
      await deps.registry.rollback(
        dep.modelName,
        input.actor,
        `undone: the rollback of deployment ${dep.name} restored ${ref(restored)}, not the checked ${ref(target)}`,
      );
      throw new BullpenError(
        'conflict',
        'DEPLOYMENT_CHANGED',
        `the registry changed while deployment ${dep.name} was rolled back (it restored ${ref(restored)}, not ${ref(target)}): nothing was switched; look with \`bullpen registry show ${dep.modelName}\` and try again`,
        { name: dep.name, restored: restored.version, checked: target.version },
      );
    }
    await serveAfterRegistry(deps, dep, restored, input.actor, scope);
    return result(dep, restored, check, scope);
  });
}
