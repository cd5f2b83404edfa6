import { liveClock } from '../../engine/operations/clock';
import { rollbackDeployment, switchDeployment, type BlueGreenDeps } from '../../engine/operations/deployments/blueGreen';
import { predictResult } from '../../engine/operations/deployments/predictResult';
import { readOpsPolicy } from '../../engine/operations/opsPolicyFile';
import type { Scope } from '../../engine/operations/operationsTypes';
import { replayJob } from '../../engine/operations/replay/runReplay';
import { retrainJob } from '../../engine/operations/retraining/pipeline';
import type { Engine } from '../../engine/engine';
import { BullpenError } from '../../shared/errors';
import type { deployOps } from '../contract/ops/deploy';
import type { HandlersFor } from './handler';

/** Every live op reads the wall clock; a read of a replay's rows (`--replay ID`) reads them under that replay's id. */
const scopeOf = (input: { replay?: string }): Scope => ({ replayId: input.replay ?? null, clock: liveClock });
const LIVE: Scope = { replayId: null, clock: liveClock };

const blueGreen = (engine: Engine): BlueGreenDeps => ({
  workspace: engine.workspace,
  pool: engine.pool,
  models: engine.models,
  runs: engine.runs,
  validations: engine.validations,
  registry: engine.registry,
  deployments: engine.deployments,
  experiments: engine.experiments,
});

export const deployHandlers: HandlersFor<keyof typeof deployOps> = {
  'deploy.start': async (input, engine, caller) => {
    // The policy is read (and its path checked for this caller) before anything is written.
    const file = input.policy !== undefined ? engine.files.readable(input.policy, caller, '--policy') : undefined;
    const { policy, policyText } = await readOpsPolicy({ file, text: input.policyText });
    const deployment = await engine.deployments.start({ model: input.model, name: input.name, policy, policyText }, LIVE);
    engine.deploymentChanged(deployment);
    return deployment;
  },
  'deploy.list': async (input, engine) => engine.deployments.list(input),
  'deploy.show': async (input, engine) => {
    const deployment = await engine.deployments.get(input.name, LIVE);
    const [checks, firing, counts] = await Promise.all([
      engine.monitoring.checks(deployment.id, LIVE, 1),
      engine.monitoring.alerts({ deploymentId: deployment.id, status: 'firing', limit: 200 }, LIVE),
      engine.deployments.counts(deployment.id, LIVE),
    ]);
    return { deployment, lastCheck: checks[0] ?? null, firing, ...counts };
  },
  'deploy.stop': async (input, engine) => {
    const deployment = await engine.deployments.stop(input.name, LIVE);
    await engine.experiments.deploymentStopped(deployment, LIVE);
    engine.deploymentChanged(deployment);
    return deployment;
  },
  'deploy.predict': async (input, engine) => {
    const asked = [input.date !== undefined, input.upcoming, input.gameIds !== undefined].filter(Boolean).length;
    if (asked !== 1)
      throw new BullpenError(
        'usage',
        'PREDICT_ONE_SELECTION',
        'say which games to score, once: --date YYYY-MM-DD, --upcoming, or game ids',
        {
          date: input.date ?? null,
          upcoming: input.upcoming,
        },
      );
    return predictResult(
      engine.deployments,
      input.name,
      { date: input.date ?? null, upcoming: input.upcoming, ...(input.gameIds ? { gameIds: input.gameIds } : {}) },
      input.via,
      LIVE,
    );
  },
  'deploy.switch': async (input, engine) =>
    switchDeployment(
      blueGreen(engine),
      { name: input.name, to: input.to, reason: input.reason, actor: await engine.settings.actor() },
      LIVE,
    ),
  'deploy.rollback': async (input, engine) =>
    rollbackDeployment(blueGreen(engine), { name: input.name, reason: input.reason, actor: await engine.settings.actor() }, LIVE),
  'deploy.check': async (input, engine) => {
    const deployment = await engine.deployments.get(input.name, LIVE);
    const check = await engine.monitoring.check(deployment, LIVE);
    // Probation and triggers follow the check (a retraining starts as a job); their failure is logged, never the check's.
    await engine.afterCheck(deployment);
    return check;
  },
  'deploy.checks': async (input, engine) => {
    const scope = scopeOf(input);
    const deployment = await engine.deployments.get(input.name, scope);
    return engine.monitoring.checks(deployment.id, scope, input.limit);
  },
  'deploy.predictions': async (input, engine) => {
    const scope = scopeOf(input);
    const deployment = await engine.deployments.get(input.name, scope);
    return engine.deployments.predictions(deployment.id, scope, { limit: input.limit });
  },
  'deploy.alerts': async (input, engine) => {
    const scope = scopeOf(input);
    const deploymentId = input.name !== undefined ? (await engine.deployments.get(input.name, scope)).id : undefined;
    return engine.monitoring.alerts({ deploymentId, status: input.status, limit: input.limit }, scope);
  },
  'deploy.alerts.ack': async (input, engine) => engine.monitoring.acknowledge(input.id, await engine.settings.actor(), scopeOf(input)),
  'deploy.retrain': async (input, engine) =>
    engine.startJob(retrainJob, {
      deployment: input.name,
      trigger: 'manual',
      reason: `started by hand by ${await engine.settings.actor()}`,
      ...(input.challenger !== undefined ? { challenger: input.challenger } : {}),
    }),
  'deploy.history': async (input, engine) => {
    const scope = scopeOf(input);
    const deployment = await engine.deployments.get(input.name, scope);
    return { retrains: await engine.retraining.history(deployment.id, scope.replayId, input.limit) };
  },
  'deploy.replay': async (input, engine, caller) => {
    const file = input.policy !== undefined ? engine.files.readable(input.policy, caller, '--policy') : undefined;
    const { policy, policyText } = await readOpsPolicy({ file, text: input.policyText });
    const { policy: _file, policyText: _text, ...rest } = input;
    return engine.startJob(replayJob, { ...rest, policy, policyText });
  },
};
