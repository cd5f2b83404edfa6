import { inputError } from '../../../shared/errors';

/** How much one feature computation may take before it is stopped. */
export interface SandboxLimits {
  /** Per query; the built-in set's slowest feature takes well under a second on 17 real seasons. */
  timeoutMs: number;
  /** DuckDB's memory_limit syntax ('2GB'). The whole default set materializes in a few hundred MB. */
  memoryLimit: string;
  threads: number;
}

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = { timeoutMs: 120_000, memoryLimit: '2GB', threads: 2 };

const MEMORY = /^\d+(\.\d+)?\s*(KB|MB|GB|KiB|MiB|GiB)$/i;

/** The limits in force: defaults, overridden by BULLPEN_FEATURE_SQL_TIMEOUT_MS and BULLPEN_FEATURE_SQL_MEMORY. */
export function sandboxLimits(env: NodeJS.ProcessEnv = process.env): SandboxLimits {
  const limits = { ...DEFAULT_SANDBOX_LIMITS };
  const timeout = env.BULLPEN_FEATURE_SQL_TIMEOUT_MS;
  if (timeout !== undefined && timeout !== '') {
    const ms = Number(timeout);
    if (!Number.isInteger(ms) || ms <= 0)
      throw inputError(
        'BAD_SANDBOX_LIMIT',
        `BULLPEN_FEATURE_SQL_TIMEOUT_MS must be a positive whole number of milliseconds, not "${timeout.slice(0, 40)}"`,
      );
    limits.timeoutMs = ms;
  }
  const memory = env.BULLPEN_FEATURE_SQL_MEMORY;
  if (memory !== undefined && memory !== '') {
    if (!MEMORY.test(memory))
      throw inputError('BAD_SANDBOX_LIMIT', `BULLPEN_FEATURE_SQL_MEMORY must look like 2GB or 512MB, not "${memory.slice(0, 40)}"`);
    limits.memoryLimit = memory.replace(/\s+/g, '');
  }
  return limits;
}
