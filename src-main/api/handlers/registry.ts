import type { z } from 'zod';
import type { Approval, AuditEntry, RegistryVersion } from '../../engine/registry/registryService';
import type { approvalSchema, auditEntrySchema, registryVersionSchema } from '../../shared/registry';
import type { registryOps } from '../contract/ops/registry';
import type { HandlersFor } from './handler';

/** True when A and B are the same type. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// The engine's types and the contract's schemas describe the same JSON: a drift between them fails to compile here.
const shapesMatch: [
  Same<RegistryVersion, z.output<typeof registryVersionSchema>>,
  Same<Approval, z.output<typeof approvalSchema>>,
  Same<AuditEntry, z.output<typeof auditEntrySchema>>,
] = [true, true, true];
void shapesMatch;

export const registryHandlers: HandlersFor<keyof typeof registryOps> = {
  'registry.list': async (_input, engine) => ({ versions: (await engine.registry.list()).flatMap((m) => m.versions) }),
  'registry.show': async (input, engine) => ({
    modelName: input.name,
    versions: await engine.registry.show(input.name),
    rollback: await engine.registry.rollbackCheck(input.name),
  }),
  'registry.register': async (input, engine) =>
    engine.registry.register(input.model, { ...(input.as !== undefined ? { as: input.as } : {}), actor: await engine.settings.actor() }),
  'registry.approve': async (input, engine) =>
    engine.registry.approve(input.name.name, input.name.version, input.stage, input.comment, await engine.settings.actor()),
  'registry.reject': async (input, engine) =>
    engine.registry.reject(input.name.name, input.name.version, input.stage, input.comment, await engine.settings.actor()),
  'registry.check': async (input, engine) => engine.registry.check(input.name.name, input.name.version, input.to),
  'registry.promote': async (input, engine) =>
    engine.registry.promote(input.name.name, input.name.version, input.to, await engine.settings.actor(), input.reason),
  'registry.rollback': async (input, engine) => engine.registry.rollback(input.name, await engine.settings.actor(), input.reason),
  'registry.archive': async (input, engine) =>
    engine.registry.archive(input.name.name, input.name.version, await engine.settings.actor(), input.reason),
  'registry.audit': async (input, engine) => ({
    entries: await engine.registry.audit(input.name),
    verification: input.verify ? await engine.registry.verifyAudit() : null,
  }),
};
