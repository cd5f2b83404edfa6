import { parseDocument } from 'yaml';
import { z } from 'zod';
import { BullpenError } from '../../shared/errors';
import { editDistance } from '../../shared/editDistance';

/**
 * Policies as people write them (the validation policy, a deployment's operations policy): YAML or JSON
 * (JSON is read by the same YAML parser, so one reader gives one set of messages). Anything the schema
 * refuses becomes one input error (CLI exit 3) naming the source, the key path and, for an unknown key or
 * value, the closest allowed one.
 */

type Path = readonly PropertyKey[];

function pathText(path: Path): string {
  return path.length ? path.map(String).join('.') : '(top level)';
}

/** Optional, default and nullable wrappers removed, to reach the object whose keys are allowed. */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (s instanceof z.ZodDefault || s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap() as z.ZodType;
  return s;
}

/** The keys the policy schema allows at a path ([] for the top level); null where the path is not an object. */
export function allowedKeysAt(schema: z.ZodType, path: Path): string[] | null {
  let s: z.ZodType = schema;
  for (const key of path) {
    const o = unwrap(s);
    if (!(o instanceof z.ZodObject)) return null;
    const shape = o.shape as Record<string, z.ZodType>;
    if (!Object.hasOwn(shape, String(key))) return null;
    s = shape[String(key)];
  }
  const o = unwrap(s);
  return o instanceof z.ZodObject ? Object.keys(o.shape) : null;
}

/** Shortest word, or shared beginning, that counts as a near miss ("drawdown" in "maxDrawdown", "closing" for "close"). */
const MIN_CONTAINED_LENGTH = 4;

/**
 * The allowed word a mistyped one most likely meant: the closest by edit distance (ignoring case, and
 * underscores so snake_case finds camelCase) when at most a third of the word differs, else one that contains
 * it or that it contains, else one that starts with the same four letters; null when nothing is close enough.
 */
export function closestKey(word: string, allowed: readonly string[]): string | null {
  const norm = (s: string): string => s.toLowerCase().replace(/[_-]/g, '');
  const w = norm(word);
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const a of allowed) {
    const d = editDistance(w, norm(a));
    if (d < bestDistance) [best, bestDistance] = [a, d];
  }
  if (best !== null && bestDistance <= Math.max(1, Math.floor(w.length / 3))) return best;
  if (w.length < MIN_CONTAINED_LENGTH) return null;
  const contained = allowed.find((a) => norm(a).includes(w) || w.includes(norm(a)));
  if (contained) return contained;
  return allowed.find((a) => commonPrefix(w, norm(a)) >= MIN_CONTAINED_LENGTH) ?? null;
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function valueAt(value: unknown, path: Path): unknown {
  let v = value;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

interface Problem {
  path: string;
  message: string;
}

function problemsOf(schema: z.ZodType, issue: z.core.$ZodIssue, value: unknown): Problem[] {
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeysAt(schema, issue.path) ?? [];
    return issue.keys.map((key) => {
      const path = pathText([...issue.path, key]);
      const near = closestKey(key, allowed);
      const where = issue.path.length ? `under ${pathText(issue.path)}` : 'at the top level';
      return {
        path,
        message: near
          ? `\`${path}\` is not a policy key: did you mean \`${near}\`?`
          : `\`${path}\` is not a policy key (allowed ${where}: ${allowed.join(', ')})`,
      };
    });
  }
  const path = pathText(issue.path);
  const where = issue.path.length ? `\`${path}\`` : 'the top level';
  if (issue.code === 'invalid_value') {
    const given = valueAt(value, issue.path);
    const options = issue.values.map(String);
    const near = typeof given === 'string' ? closestKey(given, options) : null;
    const hint = near ? `: did you mean \`${near}\`?` : '';
    return [{ path, message: `${where} must be one of ${options.join(', ')}, got ${JSON.stringify(given)}${hint}` }];
  }
  return [{ path, message: `${where}: ${issue.message.replace(/^Invalid input: /, '')}` }];
}

/** What a policy reader refuses with: its error code and the words that name the policy in messages. */
export interface PolicyKind<S extends z.ZodType> {
  schema: S;
  /** The error code of every refusal (CLI exit 3). */
  code: string;
  /** "validation policy", "operations policy". */
  label: string;
  /** How to write an empty policy usefully, said when the text is empty. */
  emptyHint: string;
}

function policyError(kind: PolicyKind<z.ZodType>, source: string, problems: Problem[], extra: Record<string, unknown> = {}): BullpenError {
  return new BullpenError('input', kind.code, `invalid ${kind.label} in ${source}: ${problems.map((p) => p.message).join('; ')}`, {
    source,
    path: problems[0]?.path ?? null,
    problems: problems.map((p) => ({ path: p.path, message: p.message })),
    ...extra,
  });
}

/** Checks a policy given as an object (an API input, a parsed file) and fills in the defaults; the same errors as a file. */
export function policyObject<S extends z.ZodType>(kind: PolicyKind<S>, value: unknown, source: string): z.output<S> {
  const parsed = kind.schema.safeParse(value);
  if (parsed.success) return parsed.data;
  // Unknown keys first: a typo there often explains the other messages.
  const issues = [...parsed.error.issues].sort((a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'));
  throw policyError(
    kind,
    source,
    issues.flatMap((i) => problemsOf(kind.schema, i, value)),
  );
}

/** Reads a policy's text (YAML or JSON); refuses malformed text, an empty text and anything the schema refuses. */
export function policyText<S extends z.ZodType>(kind: PolicyKind<S>, text: string, source: string): z.output<S> {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const at = e.linePos ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '';
    const first = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw policyError(kind, source, [{ path: '(file)', message: `not valid YAML or JSON${at}: ${first}` }], {
      line: e.linePos?.[0].line ?? null,
    });
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined)
    throw policyError(kind, source, [{ path: '(file)', message: `the policy is empty: ${kind.emptyHint}` }]);
  return policyObject(kind, value, source);
}
