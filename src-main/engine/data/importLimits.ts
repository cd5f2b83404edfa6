import { BullpenError } from '../../shared/errors';

export const MAX_BYTES_ENV = 'BULLPEN_IMPORT_MAX_BYTES';
export const MAX_LINE_BYTES_ENV = 'BULLPEN_IMPORT_MAX_LINE_BYTES';

const KIB = 1024;
const MIB = 1024 * KIB;
const GIB = 1024 * MIB;

/**
 * Per input file, after decompression (all members of a zip together). The largest real input,
 * Pinnacle's 2016 line history, is 16.9 MB decompressed (a Retrosheet season 2.6 MB): 15× room.
 */
export const DEFAULT_MAX_BYTES = 256 * MIB;
/** The longest real line, a Retrosheet game-log row, is 1,214 bytes (Pinnacle: 341): 50× room. */
export const DEFAULT_MAX_LINE_BYTES = 64 * KIB;

export interface ImportLimits {
  /** Bytes of data one input file may hold once decompressed. */
  maxBytes: number;
  /** Bytes one line may hold (a line feed ends a line). */
  maxLineBytes: number;
}

const UNITS: Record<string, number> = { '': 1, k: KIB, kb: KIB, kib: KIB, m: MIB, mb: MIB, mib: MIB, g: GIB, gb: GIB, gib: GIB };

/** Reads `512MiB`, `64k` or plain bytes; anything else is bad usage naming the variable. */
function parseSize(name: string, raw: string): number {
  const m = /^\s*(\d+)\s*([a-z]*)\s*$/i.exec(raw);
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  const n = m && unit !== undefined ? Number(m[1]) * unit : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new BullpenError(
      'usage',
      'BAD_IMPORT_LIMIT',
      `${name}=${raw.slice(0, 40)} is not a size: write bytes or a size such as 512MiB or 64KiB`,
      { variable: name },
    );
  }
  return n;
}

/** The limits in force: explicit overrides, else the environment variables, else the defaults. */
export function importLimits(overrides: Partial<ImportLimits> = {}, env: NodeJS.ProcessEnv = process.env): ImportLimits {
  const fromEnv = (name: string, fallback: number): number => (env[name] ? parseSize(name, env[name] as string) : fallback);
  return {
    maxBytes: overrides.maxBytes ?? fromEnv(MAX_BYTES_ENV, DEFAULT_MAX_BYTES),
    maxLineBytes: overrides.maxLineBytes ?? fromEnv(MAX_LINE_BYTES_ENV, DEFAULT_MAX_LINE_BYTES),
  };
}

/** `256 MiB`, `64 KiB`, `1000 bytes`: how messages state a limit. */
export function formatBytes(n: number): string {
  if (n >= GIB && n % GIB === 0) return `${n / GIB} GiB`;
  if (n >= MIB && n % MIB === 0) return `${n / MIB} MiB`;
  if (n >= KIB && n % KIB === 0) return `${n / KIB} KiB`;
  return `${n} bytes`;
}
