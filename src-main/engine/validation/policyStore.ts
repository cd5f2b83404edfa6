import { defaultValidationPolicy, type ValidationPolicy } from '../../shared/validationPolicy';
import type { Workspace } from '../workspace/workspace';
import { parseValidationPolicy, policyToYaml } from './policyFile';

/** bullpen_meta key of the workspace's policy text (YAML or JSON as the user wrote it, comments kept). */
export const POLICY_META_KEY = 'validation.policy';

export interface StoredPolicy {
  text: string;
  policy: ValidationPolicy;
  isDefault: boolean;
}

/**
 * The project's validation policy, stored in the workspace as the text the user saved (so comments and
 * order survive an edit) and parsed on every read; a text that no longer parses cannot be stored, because
 * `set` parses before it writes.
 */
export class PolicyStore {
  constructor(private readonly workspace: Pick<Workspace, 'meta' | 'setMeta'>) {}

  async get(): Promise<StoredPolicy> {
    const text = await this.workspace.meta(POLICY_META_KEY);
    if (text === undefined) return { text: policyToYaml(defaultValidationPolicy()), policy: defaultValidationPolicy(), isDefault: true };
    return { text, policy: parseValidationPolicy(text, 'the workspace policy'), isDefault: false };
  }

  /** Parses first: a bad policy is refused (POLICY_INVALID) and the stored one stays. */
  async set(text: string, source: string): Promise<StoredPolicy> {
    const policy = parseValidationPolicy(text, source);
    await this.workspace.setMeta(POLICY_META_KEY, text);
    return { text, policy, isDefault: false };
  }

  async reset(): Promise<StoredPolicy> {
    const text = policyToYaml(defaultValidationPolicy());
    await this.workspace.setMeta(POLICY_META_KEY, text);
    return { text, policy: defaultValidationPolicy(), isDefault: true };
  }
}
