import { readFile } from 'node:fs/promises';
import { inputError } from '../../shared/errors';
import { DEFAULT_OPS_POLICY, opsPolicySchema, type OpsPolicy } from '../../shared/operations/opsPolicy';
import { policyText, type PolicyKind } from '../policies/policyText';
import { validateSchedule } from './scheduler/cronSchedule';

export const OPS_POLICY_INVALID = 'OPS_POLICY_INVALID';

const OPERATIONS_POLICY: PolicyKind<typeof opsPolicySchema> = {
  schema: opsPolicySchema,
  code: OPS_POLICY_INVALID,
  label: 'operations policy',
  emptyHint: 'write the settings to change (e.g. `featureDrift: {default: {method: psi, threshold: 0.25}}`), or `{}` for the defaults',
};

/** An operations policy's text (YAML or JSON): typos refused with a did-you-mean, and a cron croner cannot read refused too. */
export function parseOpsPolicy(text: string, source: string): OpsPolicy {
  const policy = policyText(OPERATIONS_POLICY, text, source);
  validateSchedule(policy.schedule.checks, policy.schedule.timezone, 'schedule.checks');
  const weekly = policy.retraining.triggers.schedule;
  validateSchedule(weekly.cron, weekly.timezone, 'retraining.triggers.schedule.cron');
  return policy;
}

/**
 * The policy a `deploy start` or `deploy replay` asks for: from a file (a path already checked for the
 * caller), from text (the UI's editor), or the default. Its text is kept with the deployment.
 */
export async function readOpsPolicy(source: { file?: string; text?: string }): Promise<{ policy: OpsPolicy; policyText: string | null }> {
  if (source.file !== undefined && source.text !== undefined)
    throw inputError('POLICY_ONE_SOURCE', 'give the operations policy once: --policy FILE or the policy text, not both');
  if (source.file !== undefined) {
    let text: string;
    try {
      text = await readFile(source.file, 'utf8');
    } catch (err) {
      throw inputError('POLICY_UNREADABLE', `cannot read operations policy file ${source.file}: ${(err as Error).message}`, {
        file: source.file,
      });
    }
    return { policy: parseOpsPolicy(text, source.file), policyText: text };
  }
  if (source.text !== undefined) return { policy: parseOpsPolicy(source.text, 'the policy text'), policyText: source.text };
  return { policy: DEFAULT_OPS_POLICY, policyText: null };
}
