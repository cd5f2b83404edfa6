import { Document, isMap, isScalar, parseDocument } from 'yaml';
import { z } from 'zod';
import { BullpenError } from '../../shared/errors';
import { type GateName, gateLabels, type ValidationPolicy, validationPolicySchema } from '../../shared/validationPolicy';
import { editDistance } from '../../shared/editDistance';

/**
 * The validation policy as people write it: YAML or JSON (JSON is read by the same YAML parser, so one
 * reader gives one set of messages). Anything the schema refuses becomes one input error (POLICY_INVALID,
 * CLI exit 3) naming the source, the key path and, for an unknown key or value, the closest allowed one.
 */

export const POLICY_INVALID = 'POLICY_INVALID';

/** What each gate's numbers mean, written above it when a policy is shown for editing. */
const GATE_HINTS: Record<GateName, string> = {
  accuracy: 'share of games whose favoured side won ≥ min; baseline is what the significance test must beat',
  roi: 'profit / staked under the staking plan ≥ min',
  maxDrawdown: 'largest fall from the peak bankroll, as a fraction of it, ≤ max',
  sharpe: 'annualized Sharpe ratio of daily returns ≥ min',
  featureStability: 'mean rank correlation of gain importances across CV folds ≥ min (top-k share reported)',
  bets: 'bets placed by the staking plan ≥ min',
  roiSignificance: 'the bootstrap interval of ROI at this level lies above 0',
  accuracySignificance: 'one-sided binomial test of accuracy against the baseline: p < alpha',
  marketLogLoss: 'model log loss − closing market log loss ≤ maxGap',
  calibration: 'expected calibration error ≤ maxEce',
  leakage: 'beating the closing market by more than these margins is suspected leakage',
  overfitting: 'probability of backtest overfitting ≤ maxPbo and deflated Sharpe ≥ minDeflatedSharpe',
};

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
export function allowedKeysAt(path: Path): string[] | null {
  let s: z.ZodType = validationPolicySchema;
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

function problemsOf(issue: z.core.$ZodIssue, value: unknown): Problem[] {
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeysAt(issue.path) ?? [];
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

function policyError(source: string, problems: Problem[], extra: Record<string, unknown> = {}): BullpenError {
  return new BullpenError('input', POLICY_INVALID, `invalid validation policy in ${source}: ${problems.map((p) => p.message).join('; ')}`, {
    source,
    path: problems[0]?.path ?? null,
    problems: problems.map((p) => ({ path: p.path, message: p.message })),
    ...extra,
  });
}

/** Checks a policy given as an object (an API input, a parsed file) and fills in the defaults; the same errors as a file. */
export function policyFromObject(value: unknown, source: string): ValidationPolicy {
  const parsed = validationPolicySchema.safeParse(value);
  if (parsed.success) return parsed.data;
  // Unknown keys first: a typo there often explains the other messages.
  const issues = [...parsed.error.issues].sort((a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'));
  throw policyError(
    source,
    issues.flatMap((i) => problemsOf(i, value)),
  );
}

/** Reads a policy file's text (YAML or JSON); refuses malformed text, an empty file and anything the schema refuses. */
export function parseValidationPolicy(text: string, source: string): ValidationPolicy {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const at = e.linePos ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '';
    const first = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw policyError(source, [{ path: '(file)', message: `not valid YAML or JSON${at}: ${first}` }], {
      line: e.linePos?.[0].line ?? null,
    });
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined)
    throw policyError(source, [
      {
        path: '(file)',
        message: 'the policy is empty: write the gates to change (e.g. `gates: {roi: {min: 0.02}}`), or `{}` for the defaults',
      },
    ]);
  return policyFromObject(value, source);
}

/** The policy as commented YAML, each gate on one line, for showing and editing; parseValidationPolicy reads it back unchanged. */
export function policyToYaml(policy: ValidationPolicy): string {
  const doc = new Document(policy);
  doc.commentBefore =
    ' Bullpen validation policy: the gates a model must pass before promotion. Set `enabled: false` to turn a gate off.\n' +
    ' Edit with care: a failed gate blocks promotion to staging and production.';
  const gates = doc.get('gates', true);
  if (isMap(gates)) {
    for (const item of gates.items) {
      if (isMap(item.value)) item.value.flow = true;
      if (isScalar(item.key)) {
        const name = String(item.key.value) as GateName;
        item.key.commentBefore = ` ${gateLabels[name]}: ${GATE_HINTS[name]}`;
      }
    }
  }
  const comments: Record<string, string> = {
    staking: ' The staking plan the backtest gates judge: kelly | edge | flat; bankroll starts at 1, stakes are fractions of it',
    odds: ' Prices the plan bets at: close | open (the market comparison always uses the close)',
    cv: ' The CV behind feature stability, and the combinatorially purged CV behind the overfitting gate (cpcvGroups 0 turns it off)',
    bootstrap: ' Resamples and seed of the ROI bootstrap interval',
    autoValidate: ' Validate every model when its training run completes',
  };
  const root = doc.contents;
  if (isMap(root)) {
    for (const item of root.items) {
      if (isScalar(item.key) && comments[String(item.key.value)]) item.key.commentBefore = comments[String(item.key.value)];
    }
  }
  return doc.toString({ lineWidth: 0 });
}
