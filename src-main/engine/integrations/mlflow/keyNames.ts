/**
 * MLflow's rules for metric, param and tag keys: letters, digits, `_ - . /` and space only, at most 250
 * characters, and a key must read the same as a normalized POSIX path (no leading or trailing `/`, no
 * `//`, no `.` or `..` segments) because stores may use it as a file name. LightGBM's metric names break
 * the first rule (`ndcg@3`, `map@5`): they are renamed the way MLflow's own LightGBM integration does
 * (`ndcg_at_3`), and the mapping is recorded with the export.
 */
export const MLFLOW_KEY_PATTERN = /^[/\w.\- ]+$/;
export const MLFLOW_MAX_KEY_LENGTH = 250;

/** Python's posixpath.normpath for the relative names keys are. */
function normalizedPath(name: string): string {
  if (name === '') return '.';
  const absolute = name.startsWith('/');
  const out: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else if (part !== '..' || !absolute) out.push(part);
  }
  const joined = (absolute ? '/' : '') + out.join('/');
  return joined || (absolute ? '/' : '.');
}

/** True when MLflow accepts `key` as a metric, param or tag key as it is. */
export function isValidMlflowKey(key: string): boolean {
  if (!MLFLOW_KEY_PATTERN.test(key) || key.length > MLFLOW_MAX_KEY_LENGTH) return false;
  const norm = normalizedPath(key);
  return norm === key && norm !== '.' && !norm.startsWith('..') && !norm.startsWith('/');
}

/** A valid key for `key`: `@` reads `_at_`, other refused characters become `_`, path oddities are flattened. */
export function sanitizeKey(key: string): string {
  let out = key.replaceAll('@', '_at_').replace(/[^/\w.\- ]/g, '_');
  out = out
    .split('/')
    .filter((part) => part !== '')
    .map((part) => (part === '.' || part === '..' ? part.replaceAll('.', '_') : part))
    .join('/');
  if (out === '') out = '_';
  return out.slice(0, MLFLOW_MAX_KEY_LENGTH).replace(/\/+$/, '');
}

/**
 * The MLflow key of every key in one namespace (a run's metrics, or its params): valid keys keep their
 * name; the others get a sanitized one, with `_2`, `_3`… when it would collide. Deterministic for a
 * set of keys whatever their order, so a re-export maps every key the same way.
 */
export function mlflowKeys(keys: Iterable<string>): Map<string, string> {
  const unique = [...new Set(keys)].sort();
  const out = new Map<string, string>();
  const taken = new Set<string>();
  for (const k of unique)
    if (isValidMlflowKey(k)) {
      out.set(k, k);
      taken.add(k);
    }
  for (const k of unique) {
    if (out.has(k)) continue;
    const base = sanitizeKey(k);
    let name = base;
    for (let n = 2; taken.has(name) || !isValidMlflowKey(name); n++) {
      const suffix = `_${n}`;
      name = `${base.slice(0, MLFLOW_MAX_KEY_LENGTH - suffix.length)}${suffix}`;
    }
    out.set(k, name);
    taken.add(name);
  }
  return out;
}

/** The renamed keys only, as the export records them. */
export function renamedKeys(mapping: Map<string, string>): { from: string; to: string }[] {
  return [...mapping].filter(([from, to]) => from !== to).map(([from, to]) => ({ from, to }));
}

/** Alias names MLflow accepts: letters, digits, `_` and `-`; not `latest`, not `v` followed by digits. */
export function isValidAliasName(alias: string): boolean {
  return /^[\w-]{1,255}$/.test(alias) && alias.toLowerCase() !== 'latest' && !/^v\d+$/i.test(alias);
}
