import { userInfo } from 'node:os';
import { inputError } from '../../shared/errors';
import { settingsSchema, type Settings, type SettingsInput } from '../../shared/settings';
import type { Workspace } from '../workspace/workspace';

const SETTINGS_META_KEY = 'settings';

/** The workspace's settings (bullpen_meta), checked by the shared schema on every read and write. */
export class SettingsStore {
  constructor(private readonly workspace: Pick<Workspace, 'meta' | 'setMeta'>) {}

  async get(): Promise<Settings> {
    const text = await this.workspace.meta(SETTINGS_META_KEY);
    const parsed = settingsSchema.safeParse(text ? JSON.parse(text) : {});
    // A stored value from a newer version that this one cannot read falls back to the defaults rather than block the app.
    return parsed.success ? parsed.data : settingsSchema.parse({});
  }

  /** Merges a change into the stored settings; a bad value is refused and nothing changes. */
  async set(patch: SettingsInput): Promise<Settings> {
    const current = await this.get();
    const merged = settingsSchema.safeParse({ ...current, ...patch, mlflow: { ...current.mlflow, ...(patch.mlflow ?? {}) } });
    if (!merged.success) {
      const i = merged.error.issues[0];
      throw inputError('SETTINGS_INVALID', `setting ${i?.path.join('.') ?? ''}: ${i?.message ?? 'invalid'}`, {
        issues: merged.error.issues.map((x) => ({ path: x.path.map(String), message: x.message })),
      });
    }
    await this.workspace.setMeta(SETTINGS_META_KEY, JSON.stringify(merged.data));
    return merged.data;
  }

  /** The name approvals and audit entries carry: the setting, else BULLPEN_USER, else the OS user. */
  async actor(): Promise<string> {
    const s = await this.get();
    if (s.user) return s.user;
    if (process.env.BULLPEN_USER) return process.env.BULLPEN_USER;
    try {
      return userInfo().username || 'unknown';
    } catch {
      return 'unknown';
    }
  }
}
