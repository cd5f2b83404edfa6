// LightGBM parameters as an object, rendered to the "key=value key=value" string the C API parses.
import { native } from './native';

export type ParamValue = string | number | boolean | readonly (string | number)[];
export type Params = Readonly<Record<string, ParamValue | undefined | null>>;

const THREAD_ALIASES = ['num_threads', 'num_thread', 'nthread', 'nthreads', 'n_jobs'];

function renderValue(key: string, value: ParamValue): string {
  const text = Array.isArray(value)
    ? value.map((v) => renderScalar(key, v)).join(',')
    : renderScalar(key, value as string | number | boolean);
  if (text.length === 0 || /\s/.test(text)) {
    throw new TypeError(`LightGBM parameter ${key} has an empty value or one with whitespace: ${JSON.stringify(value)}`);
  }
  return text;
}

function renderScalar(key: string, value: string | number | boolean): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`LightGBM parameter ${key} must be finite, got ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return value;
  throw new TypeError(`LightGBM parameter ${key} has unsupported type ${typeof value}`);
}

/** null means "no parameters", as None does in Python; a string or array would render nonsense keys. */
export function assertParams(params: unknown): asserts params is Params | null | undefined {
  if (params !== null && params !== undefined && (typeof params !== 'object' || Array.isArray(params))) {
    throw new TypeError(
      `LightGBM parameters must be an object like { objective: 'binary' }, got ${Array.isArray(params) ? 'an array' : typeof params}`,
    );
  }
}

/**
 * Renders parameters for LightGBM; undefined and null entries are dropped. The thread policy is applied
 * here: when setMaxThreads(n) set a process-wide cap, num_threads defaults to it and is clamped to it.
 */
export function renderParams(params: Params | null = {}): string {
  assertParams(params);
  const entries: [string, string][] = [];
  let threads: number | undefined;
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value === undefined || value === null) continue;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new TypeError(`invalid LightGBM parameter name ${JSON.stringify(key)}`);
    if (THREAD_ALIASES.includes(key)) {
      threads = Number(value);
      if (!Number.isInteger(threads)) throw new TypeError(`${key} must be an integer, got ${JSON.stringify(value)}`);
      continue;
    }
    entries.push([key, renderValue(key, value)]);
  }
  const cap = native().getMaxThreads();
  if (cap > 0) threads = threads === undefined || threads <= 0 ? cap : Math.min(threads, cap);
  if (threads !== undefined) entries.push(['num_threads', String(threads)]);
  return entries.map(([k, v]) => `${k}=${v}`).join(' ');
}

/**
 * Caps the threads LightGBM uses in this process (0 removes the cap). OpenMP's thread count is
 * process-wide, so the engine keeps one value per process rather than setting it per call.
 */
export function setMaxThreads(maxThreads: number): void {
  if (!Number.isInteger(maxThreads) || maxThreads < 0) {
    throw new RangeError(`maxThreads must be a non-negative integer, got ${maxThreads}`);
  }
  native().setMaxThreads(maxThreads);
}

export function getMaxThreads(): number {
  return native().getMaxThreads();
}

export type DatasetParamsCheck = { compatible: true } | { compatible: false; reason: string };

/**
 * Tells whether a Dataset constructed with oldParams can be reused with newParams (binning-related
 * parameters unchanged), so tuning trials can share one constructed Dataset.
 */
export function checkDatasetParams(oldParams: Params, newParams: Params): DatasetParamsCheck {
  const reason = native().datasetUpdateParamChecking(renderParams(oldParams), renderParams(newParams));
  return reason === null ? { compatible: true } : { compatible: false, reason };
}
