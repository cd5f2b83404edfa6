import { readFile } from 'node:fs/promises';
import { Document, isMap, parseDocument } from 'yaml';
import { BullpenError } from '../../shared/errors';
import { editDistance } from '../../shared/editDistance';
import {
  type CategoryValue,
  type Distribution,
  type SearchParam,
  type SearchSpace,
  searchSpaceSchema,
  type TrialParams,
} from '../../shared/sweep/distributions';
import { closestKey } from '../validation/policyFile';
import { LIGHTGBM_NAMES, LIGHTGBM_PARAMETERS, type LightgbmParameter, lightgbmBounds, lightgbmParameterName } from './lightgbmParameters';

/**
 * The search-space file (`ml optimize --space FILE`, the Sweeps screen's editor): YAML or JSON, one key
 * per LightGBM parameter (its name or any alias), sampled in the order written:
 *
 *   num_leaves: {type: int, low: 10, high: 300}
 *   learning_rate: {type: float, low: 0.01, high: 0.3, log: true}
 *   bagging_freq: {type: int, low: 1, high: 7, step: 2}
 *   boosting: {type: categorical, choices: [gbdt, dart]}
 *   drop_rate: {type: float, low: 0.05, high: 0.5, when: {boosting: [dart]}}
 *
 * int and float take `low` and `high` (both included), and either `log: true` (bounds above 0) or a
 * `step` that divides high − low; categorical takes `choices`. `when` makes a parameter conditional on an
 * earlier categorical one: it is searched only in trials where that one took a listed value. The object
 * form of a stored space (`{params: [{name, distribution, when}]}`, as `ml sweeps show --json` prints it
 * under config.space) is read too. Every refusal is one input error, SPACE_INVALID (CLI exit 3), that
 * lists each problem with the parameter it belongs to and the way out.
 */

export const SPACE_INVALID = 'SPACE_INVALID';
export const SPACE_UNREADABLE = 'SPACE_UNREADABLE';

const EXAMPLE = '`num_leaves: {type: int, low: 10, high: 300}`';
const SPEC_FIELDS = ['type', 'low', 'high', 'log', 'step', 'choices', 'when'] as const;
const KINDS = ['int', 'float', 'categorical'] as const;
type Kind = (typeof KINDS)[number];
/** Two floats whose (high − low) / step is this close to a whole number count as dividing: decimal steps are never exact in binary. */
const STEP_TOLERANCE = 1e-9;

/** LightGBM's own defaults (config.h) for the parameters the interpretability caps bound. */
const LIGHTGBM_DEFAULT_NUM_LEAVES = 31;
const LIGHTGBM_DEFAULT_MAX_DEPTH = -1;

const THREADS = 'threads per trial are the sweep’s to set (workers × threads = cores)';
const SEEDS = 'the sweep derives every seed from --seed (searching a seed only tunes noise)';
const BINARY = 'the sweep trains the binary objective of its target';
const SCORED = 'trials are scored by the sweep’s --objectives';
const NOT_TRAINING = 'it is a file, logging or device setting, not a training hyperparameter';

/** Parameters a sweep fixes itself, with why: searching them would fight the sweep or change what it measures. */
const SWEEP_OWNED: Record<string, string> = {
  objective: BINARY,
  num_class: BINARY,
  metric: SCORED,
  num_threads: THREADS,
  seed: SEEDS,
  bagging_seed: SEEDS,
  feature_fraction_seed: SEEDS,
  extra_seed: SEEDS,
  drop_seed: SEEDS,
  data_random_seed: SEEDS,
  objective_seed: SEEDS,
  num_iterations: 'the sweep boosts up to --num-boost-round rounds and stops early on the validation window',
  early_stopping_round: 'set it with --early-stopping-rounds',
  first_metric_only: 'early stopping watches the sweep’s own log loss',
  verbosity: NOT_TRAINING,
  config: NOT_TRAINING,
  task: NOT_TRAINING,
  data: NOT_TRAINING,
  valid: NOT_TRAINING,
  device_type: NOT_TRAINING,
  tree_learner: 'distributed tree learners are not a hyperparameter of one machine’s sweep',
  input_model: NOT_TRAINING,
  output_model: NOT_TRAINING,
  snapshot_freq: NOT_TRAINING,
  saved_feature_importance_type: NOT_TRAINING,
  forcedsplits_filename: NOT_TRAINING,
  forcedbins_filename: NOT_TRAINING,
  header: NOT_TRAINING,
  label_column: NOT_TRAINING,
  weight_column: NOT_TRAINING,
  group_column: NOT_TRAINING,
  ignore_column: NOT_TRAINING,
  categorical_feature: NOT_TRAINING,
  two_round: NOT_TRAINING,
  save_binary: NOT_TRAINING,
  precise_float_parser: NOT_TRAINING,
  parser_config_file: NOT_TRAINING,
  pre_partition: NOT_TRAINING,
};
/** The objective parameters that act on the binary objective; the others belong to other objectives. */
const BINARY_OBJECTIVE_PARAMS = new Set(['is_unbalance', 'scale_pos_weight', 'sigmoid', 'boost_from_average']);

/** Why a known LightGBM parameter cannot be searched, or null when it can. */
function notSearchable(canonical: string, p: LightgbmParameter): string | null {
  if (SWEEP_OWNED[canonical]) return SWEEP_OWNED[canonical];
  if (p.group === 'metric') return SCORED;
  if (p.group === 'objective' && !BINARY_OBJECTIVE_PARAMS.has(canonical))
    return `it does not apply to the binary objective the sweep trains`;
  if (p.group === 'predict' || p.group === 'convert') return 'it is a prediction or conversion setting, not a training hyperparameter';
  if (p.group === 'network' || p.group === 'gpu') return 'it is a distributed-training or GPU setting, not a training hyperparameter';
  if (p.type === 'list' || p.type === 'string')
    return 'it takes a list (one value per feature or constraint), and a sweep searches single values';
  return null;
}

interface Problem {
  param: string | null;
  message: string;
}

function spaceError(source: string, problems: Problem[]): BullpenError {
  return new BullpenError('input', SPACE_INVALID, `invalid search space in ${source}: ${problems.map((p) => p.message).join('; ')}`, {
    source,
    param: problems[0]?.param ?? null,
    problems,
  });
}

/** The closest word, for a did-you-mean: policyFile's rule, or any word within two edits (transposed letters cost two). */
function suggest(word: string, options: readonly string[]): string | null {
  const near = closestKey(word, options);
  if (near) return near;
  let best: string | null = null;
  let bestDistance = 3;
  for (const o of options) {
    const d = editDistance(word.toLowerCase(), o.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [o, d];
  }
  return best;
}

const didYouMean = (near: string | null): string => (near ? `: did you mean \`${near}\`?` : '');
const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isChoice = (v: unknown): v is CategoryValue =>
  typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null || v === undefined) return 'nothing';
  return typeof v === 'object' ? 'a map' : `${show(v)}`;
}

/** One parameter as written: its key and its spec (the map after the key). */
interface RawParam {
  name: string;
  spec: unknown;
}

/** The parameters of either accepted form, in order; null (with a problem) when the top level is neither. */
function rawParams(value: unknown, problems: Problem[]): RawParam[] | null {
  if (!isRecord(value)) {
    problems.push({
      param: null,
      message: `a search space is a map from LightGBM parameter to its range, e.g. ${EXAMPLE}, but this is ${describe(value)}`,
    });
    return null;
  }
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'params' && Array.isArray(value.params)) {
    // The stored form: {params: [{name, distribution, when: {param, in}}]}.
    const out: RawParam[] = [];
    (value.params as unknown[]).forEach((el, i) => {
      if (!isRecord(el) || typeof el.name !== 'string' || !isRecord(el.distribution)) {
        problems.push({ param: null, message: `params[${i}] must be {name, distribution, when?}, got ${describe(el)}` });
        return;
      }
      const when =
        isRecord(el.when) && typeof el.when.param === 'string'
          ? { when: { [el.when.param]: el.when.in } }
          : el.when === undefined
            ? {}
            : { when: el.when };
      out.push({ name: el.name, spec: { ...el.distribution, ...when } });
    });
    return out;
  }
  return keys.map((name) => ({ name, spec: value[name] }));
}

function checkName(name: string, seen: Map<string, string>, problems: Problem[]): string | null {
  const canonical = lightgbmParameterName(name);
  if (!canonical) {
    const near = suggest(name, LIGHTGBM_NAMES);
    const alias = near && lightgbmParameterName(near) !== near ? ` (an alias of \`${lightgbmParameterName(near)}\`)` : '';
    problems.push({
      param: name,
      message: near
        ? `\`${name}\` is not a LightGBM parameter: did you mean \`${near}\`${alias}?`
        : `\`${name}\` is not a LightGBM parameter (names as in LightGBM 4.1's Parameters documentation, e.g. num_leaves, learning_rate)`,
    });
    return null;
  }
  const why = notSearchable(canonical, LIGHTGBM_PARAMETERS[canonical]);
  if (why) {
    const which = canonical === name ? '' : ` (LightGBM's ${canonical})`;
    problems.push({ param: name, message: `\`${name}\`${which} cannot be searched: ${why}; remove it from the space` });
    return null;
  }
  const first = seen.get(canonical);
  if (first !== undefined) {
    problems.push({
      param: name,
      message:
        first === name
          ? `\`${name}\` appears twice: keep one`
          : `\`${first}\` and \`${name}\` are the same LightGBM parameter (${canonical}): keep one of them`,
    });
    return null;
  }
  seen.set(canonical, name);
  return canonical;
}

function finiteNumber(spec: Record<string, unknown>, field: string, name: string, problems: Problem[]): number | null {
  const v = spec[field];
  if (v === undefined) {
    problems.push({ param: name, message: `\`${name}\` needs \`${field}\` (e.g. ${EXAMPLE})` });
    return null;
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    problems.push({ param: name, message: `\`${name}\`: ${field} must be a finite number, got ${show(v)}` });
    return null;
  }
  return v;
}

const boundText = (b: { op: string; bound: number }): string => `${b.op.replace('>=', '≥').replace('<=', '≤')} ${b.bound}`;
function within(v: number, b: { op: string; bound: number }): boolean {
  if (b.op === '>') return v > b.bound;
  if (b.op === '>=') return v >= b.bound;
  if (b.op === '<') return v < b.bound;
  return v <= b.bound;
}

/** Values outside LightGBM's own checks, which would fail every trial that samples them. */
function checkBounds(name: string, canonical: string, values: { what: string; value: number }[], problems: Problem[]): void {
  const bounds = lightgbmBounds(canonical);
  if (!bounds.length) return;
  for (const { what, value } of values) {
    if (bounds.every((b) => within(value, b))) continue;
    problems.push({
      param: name,
      message: `\`${name}\`: LightGBM needs ${canonical} ${bounds.map(boundText).join(' and ')}, and ${what} ${value} is outside`,
    });
    return;
  }
}

/** The nearest highs that make `step` divide the range (within LightGBM's bounds), for the refusal's way out. */
function dividingHighs(canonical: string, low: number, high: number, step: number, kind: 'int' | 'float'): string {
  const k = Math.floor((high - low) / step);
  const round = (v: number): number => (kind === 'int' ? v : Number(v.toPrecision(12)));
  const bounds = lightgbmBounds(canonical);
  const highs = [round(low + k * step), round(low + (k + 1) * step)].filter((h) => h >= low && bounds.every((b) => within(h, b)));
  return highs.length ? `high ${highs.join(' or ')}` : 'another range';
}

function checkNumeric(
  name: string,
  canonical: string,
  kind: 'int' | 'float',
  spec: Record<string, unknown>,
  problems: Problem[],
): Distribution | null {
  const before = problems.length;
  const lgb = LIGHTGBM_PARAMETERS[canonical];
  if (spec.choices !== undefined)
    problems.push({
      param: name,
      message: `\`${name}\` is type ${kind}: \`choices\` belongs to type categorical (give low and high instead)`,
    });
  if (lgb.type === 'bool')
    problems.push({
      param: name,
      message: `\`${name}\` is true/false in LightGBM: search it as {type: categorical, choices: [true, false]}`,
    });
  if (lgb.type === 'enum')
    problems.push({
      param: name,
      message: `\`${name}\` takes one of ${Object.keys(lgb.options ?? {}).join(', ')} in LightGBM: search it as {type: categorical, choices: [...]}`,
    });
  if (lgb.type === 'int' && kind === 'float')
    problems.push({ param: name, message: `\`${name}\` is an integer in LightGBM: use type: int` });
  const low = finiteNumber(spec, 'low', name, problems);
  const high = finiteNumber(spec, 'high', name, problems);
  const log = spec.log ?? false;
  if (typeof log !== 'boolean') problems.push({ param: name, message: `\`${name}\`: log must be true or false, got ${show(log)}` });
  const step = spec.step ?? null;
  if (step !== null && (typeof step !== 'number' || !Number.isFinite(step) || step <= 0))
    problems.push({ param: name, message: `\`${name}\`: step must be a number above 0, got ${show(step)}` });
  if (problems.length > before || low === null || high === null) return null;
  const s = step as number | null;
  if (kind === 'int') {
    const notInt = (['low', 'high', 'step'] as const).filter((f) => spec[f] !== undefined && !Number.isInteger(spec[f]));
    if (notInt.length) {
      problems.push({
        param: name,
        message: `\`${name}\` is type int: ${notInt.map((f) => `${f} ${show(spec[f])}`).join(', ')} must be whole (or use type: float)`,
      });
      return null;
    }
  }
  if (low > high) {
    problems.push({ param: name, message: `\`${name}\`: low ${low} is above high ${high}: swap them` });
    return null;
  }
  if (log && low <= 0) {
    problems.push({
      param: name,
      message: `\`${name}\`: log: true needs bounds above 0, and low is ${low}: raise low (e.g. ${kind === 'int' ? 1 : 1e-8}) or drop log`,
    });
    return null;
  }
  if (log && s !== null && !(kind === 'int' && s === 1)) {
    problems.push({ param: name, message: `\`${name}\`: log and step exclude each other (as in Optuna): drop one of them` });
    return null;
  }
  if (s !== null) {
    const k = (high - low) / s;
    if (Math.abs(k - Math.round(k)) > STEP_TOLERANCE * Math.max(1, Math.abs(k))) {
      problems.push({
        param: name,
        message: `\`${name}\`: step ${s} does not divide high − low = ${Number((high - low).toPrecision(12))}: use ${dividingHighs(canonical, low, high, s, kind)}, or a step that divides the range`,
      });
      return null;
    }
  }
  checkBounds(
    name,
    canonical,
    [
      { what: 'low', value: low },
      { what: 'high', value: high },
    ],
    problems,
  );
  if (problems.length > before) return null;
  return kind === 'int'
    ? { type: 'int', low, high, log: log as boolean, step: s ?? 1 }
    : { type: 'float', low, high, log: log as boolean, step: s };
}

function checkCategorical(name: string, canonical: string, spec: Record<string, unknown>, problems: Problem[]): Distribution | null {
  const before = problems.length;
  const misplaced = (['low', 'high', 'log', 'step'] as const).filter((f) => spec[f] !== undefined);
  if (misplaced.length)
    problems.push({
      param: name,
      message: `\`${name}\` is type categorical: ${misplaced.join(', ')} belong to type int or float (give choices instead)`,
    });
  const choices = spec.choices;
  if (!Array.isArray(choices) || choices.length === 0) {
    problems.push({ param: name, message: `\`${name}\` needs \`choices\`, a non-empty list (e.g. \`choices: [gbdt, dart]\`)` });
    return null;
  }
  const bad = choices.filter((c) => !isChoice(c));
  if (bad.length) {
    problems.push({ param: name, message: `\`${name}\`: choices must be strings, numbers or true/false, got ${bad.map(show).join(', ')}` });
    return null;
  }
  const repeated = choices.filter((c, i) => choices.indexOf(c) !== i);
  if (repeated.length)
    problems.push({ param: name, message: `\`${name}\`: choices repeat ${[...new Set(repeated)].map(show).join(', ')}: list each once` });
  const lgb = LIGHTGBM_PARAMETERS[canonical];
  const values = choices as CategoryValue[];
  if (lgb.type === 'bool' && values.some((c) => typeof c !== 'boolean'))
    problems.push({ param: name, message: `\`${name}\` is true/false in LightGBM: its choices must be true or false` });
  if (
    (lgb.type === 'int' || lgb.type === 'double') &&
    values.some((c) => typeof c !== 'number' || (lgb.type === 'int' && !Number.isInteger(c)))
  )
    problems.push({
      param: name,
      message: `\`${name}\` is ${lgb.type === 'int' ? 'an integer' : 'a number'} in LightGBM: its choices must be ${lgb.type === 'int' ? 'whole numbers' : 'numbers'}`,
    });
  if (lgb.type === 'enum') {
    const options = lgb.options ?? {};
    const accepted = Object.entries(options).flatMap(([o, aliases]) => [o, ...aliases]);
    for (const c of values) {
      if (typeof c === 'string' && accepted.includes(c.toLowerCase())) continue;
      const near = typeof c === 'string' ? suggest(c, accepted) : null;
      problems.push({
        param: name,
        message: `\`${name}\`: ${show(c)} is not one of LightGBM's ${canonical} values (${Object.keys(options).join(', ')})${didYouMean(near)}`,
      });
    }
  }
  if (problems.length > before) return null;
  checkBounds(
    name,
    canonical,
    values.filter((c): c is number => typeof c === 'number').map((c) => ({ what: 'choice', value: c })),
    problems,
  );
  return problems.length > before ? null : { type: 'categorical', choices: values };
}

/** The `when` of a conditional parameter: one earlier categorical parameter and some of its choices. */
function checkWhen(
  name: string,
  when: unknown,
  earlier: SearchParam[],
  all: readonly string[],
  problems: Problem[],
): SearchParam['when'] | null {
  const example = `e.g. \`when: {boosting: [dart]}\``;
  if (!isRecord(when) || Object.keys(when).length !== 1) {
    problems.push({ param: name, message: `\`${name}\`: when must name one earlier categorical parameter and its values, ${example}` });
    return null;
  }
  const [param] = Object.keys(when);
  const parent = earlier.find((p) => p.name === param);
  if (!parent) {
    let message: string;
    if (param === name) message = `\`${name}\`: when names the parameter itself; a condition must test an earlier parameter`;
    else if (all.includes(param)) message = `\`${name}\`: when names \`${param}\`, which comes later: move \`${param}\` above \`${name}\``;
    else message = `\`${name}\`: when names \`${param}\`, which is not in the space${didYouMean(suggest(param, all))}`;
    problems.push({ param: name, message });
    return null;
  }
  if (parent.distribution.type !== 'categorical') {
    problems.push({
      param: name,
      message: `\`${name}\`: when can only test a categorical parameter, and \`${param}\` is type ${parent.distribution.type}`,
    });
    return null;
  }
  const raw = when[param];
  const values = Array.isArray(raw) ? raw : [raw];
  const choices = parent.distribution.choices;
  const unknown = values.filter((v) => !choices.some((c) => c === v));
  if (values.length === 0 || unknown.length) {
    problems.push({
      param: name,
      message: `\`${name}\`: when ${param} is ${unknown.length ? unknown.map(show).join(', ') : '(nothing)'}, but \`${param}\`'s choices are ${choices.map(show).join(', ')}`,
    });
    return null;
  }
  return { param, in: values as CategoryValue[] };
}

function checkParam(
  raw: RawParam,
  earlier: SearchParam[],
  all: readonly string[],
  seen: Map<string, string>,
  problems: Problem[],
): SearchParam | null {
  const { name, spec } = raw;
  const canonical = checkName(name, seen, problems);
  if (!isRecord(spec)) {
    problems.push({ param: name, message: `\`${name}\` must be a map such as {type: int, low: 10, high: 300}, got ${describe(spec)}` });
    return null;
  }
  const unknownFields = Object.keys(spec).filter((f) => !(SPEC_FIELDS as readonly string[]).includes(f));
  for (const f of unknownFields)
    problems.push({
      param: name,
      message: `\`${name}\`: \`${f}\` is not a field of a search parameter${didYouMean(suggest(f, SPEC_FIELDS)) || ` (fields: ${SPEC_FIELDS.join(', ')})`}`,
    });
  const type = spec.type;
  if (type === undefined) {
    if (unknownFields.length) return null;
    const hint = spec.choices !== undefined ? 'add `type: categorical`' : 'add `type: int` or `type: float`';
    problems.push({ param: name, message: `\`${name}\` needs a type (int, float or categorical): ${hint}` });
    return null;
  }
  if (!(KINDS as readonly unknown[]).includes(type)) {
    const near = typeof type === 'string' ? suggest(type, KINDS) : null;
    problems.push({ param: name, message: `\`${name}\`: type must be int, float or categorical, got ${show(type)}${didYouMean(near)}` });
    return null;
  }
  if (!canonical || unknownFields.length) return null;
  const distribution =
    type === 'categorical'
      ? checkCategorical(name, canonical, spec, problems)
      : checkNumeric(name, canonical, type as Exclude<Kind, 'categorical'>, spec, problems);
  if (!distribution) return null;
  if (spec.when === undefined) return { name, distribution };
  const when = checkWhen(name, spec.when, earlier, all, problems);
  return when ? { name, distribution, when } : null;
}

/** Checks a search space given as an object (an API input, a parsed file, a stored config) in either form; the same errors as a file. */
export function spaceFromObject(value: unknown, source: string): SearchSpace {
  const problems: Problem[] = [];
  const raws = rawParams(value, problems);
  if (!raws) throw spaceError(source, problems);
  if (raws.length === 0 && problems.length === 0)
    throw spaceError(source, [{ param: null, message: `the search space is empty: give at least one parameter, e.g. ${EXAMPLE}` }]);
  const names = raws.map((r) => r.name);
  const seen = new Map<string, string>();
  const params: SearchParam[] = [];
  for (const raw of raws) {
    const p = checkParam(raw, params, names, seen, problems);
    if (p) params.push(p);
  }
  if (problems.length) throw spaceError(source, problems);
  return searchSpaceSchema.parse({ params });
}

/** Reads a search space's text (YAML or JSON); refuses malformed text, an empty space and every problem above. */
export function parseSearchSpace(text: string, source: string): SearchSpace {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const at = e.linePos ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '';
    const first = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw spaceError(source, [{ param: null, message: `not valid YAML or JSON${at}: ${first}` }]);
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined)
    throw spaceError(source, [{ param: null, message: `the search space is empty: give at least one parameter, e.g. ${EXAMPLE}` }]);
  return spaceFromObject(value, source);
}

/** `--space FILE`: the file's search space, or SPACE_UNREADABLE / SPACE_INVALID (both exit 3). */
export async function readSpaceFile(path: string): Promise<SearchSpace> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new BullpenError('input', SPACE_UNREADABLE, `cannot read search space file ${path}: ${(err as Error).message}`, { file: path });
  }
  return parseSearchSpace(text, path);
}

/** A space as the file format above (what the editor shows); parseSearchSpace reads it back to the same space. */
export function spaceToYaml(space: SearchSpace): string {
  const entries: Record<string, Record<string, unknown>> = {};
  for (const p of space.params) {
    const d = p.distribution;
    const spec: Record<string, unknown> =
      d.type === 'categorical'
        ? { type: d.type, choices: d.choices }
        : {
            type: d.type,
            low: d.low,
            high: d.high,
            ...(d.log ? { log: true } : {}),
            ...(d.step !== null && !(d.type === 'int' && d.step === 1) ? { step: d.step } : {}),
          };
    if (p.when) spec.when = { [p.when.param]: p.when.in };
    entries[p.name] = spec;
  }
  const doc = new Document(entries);
  doc.commentBefore =
    ' Bullpen search space: one LightGBM parameter (name or alias) per line, searched in this order.\n' +
    ' int / float: {type: int, low: 10, high: 300}, optionally log: true (bounds above 0) or step: S (dividing high - low)\n' +
    ' categorical: {type: categorical, choices: [gbdt, dart]}\n' +
    ' conditional: add when: {boosting: [dart]} to search a parameter only when an earlier categorical one took those values';
  if (isMap(doc.contents)) for (const item of doc.contents.items) if (isMap(item.value)) item.value.flow = true;
  return doc.toString({ lineWidth: 0 });
}

export interface InterpretabilityCaps {
  /** --max-leaves: no trial trains with more leaves per tree. */
  maxLeaves?: number | null;
  /** --max-depth: no trial trains deeper trees (LightGBM's "no limit", max_depth ≤ 0, is excluded too). */
  maxDepth?: number | null;
}

export interface CappedSpace {
  space: SearchSpace;
  /**
   * Parameters trials must train with where the space does not set them (the parameter is absent, or a
   * condition leaves it out), because the base parameters or LightGBM's default break a cap. Apply as
   * mergeLightgbmParams(mergeLightgbmParams(base, fixed), trial.params): a sampled value wins.
   */
  fixed: TrialParams;
}

function capRefusal(name: string, message: string): BullpenError {
  return spaceError('the interpretability caps', [{ param: name, message }]);
}

/** Clamps one numeric or categorical distribution to [min, max]; null when nothing is left. */
function clampDistribution(d: Distribution, min: number, max: number): Distribution | null {
  if (d.type === 'categorical') {
    const choices = d.choices.filter((c) => typeof c === 'number' && c >= min && c <= max);
    return choices.length ? { ...d, choices } : null;
  }
  if (d.type === 'float' && d.step === null) {
    const low = Math.max(d.low, min);
    const high = Math.min(d.high, max);
    return low <= high ? { ...d, low, high } : null;
  }
  // Stay on the grid low, low + step, …: the first point ≥ min and the last ≤ max.
  const step = d.step ?? 1;
  const low = min > d.low ? d.low + Math.ceil((min - d.low) / step - STEP_TOLERANCE) * step : d.low;
  const high = max < d.high ? d.low + Math.floor((max - d.low) / step + STEP_TOLERANCE) * step : d.high;
  if (low > high) return null;
  const out = { ...d, low, high };
  return out.log && out.low <= 0 ? null : out;
}

/**
 * Applies --max-leaves / --max-depth to a checked space: a searched num_leaves (any alias) never goes
 * above the leaf cap, a searched max_depth stays within 1..cap, and `fixed` holds the cap for trials that
 * would otherwise train with more (`base` is what trials train on top of; absent there, LightGBM's
 * defaults: 31 leaves, unlimited depth). A range entirely outside a cap is refused (SPACE_INVALID).
 */
export function capSpace(space: SearchSpace, caps: InterpretabilityCaps, base: Readonly<Record<string, unknown>> = {}): CappedSpace {
  const fixed: TrialParams = {};
  let params = space.params.map((p) => ({ ...p }));
  const baseValue = (canonical: string, dflt: number): number => {
    const key = Object.keys(base).find((k) => lightgbmParameterName(k) === canonical);
    const v = key === undefined ? dflt : Number(base[key]);
    return Number.isFinite(v) ? v : dflt;
  };
  const apply = (canonical: string, flag: string, min: number, max: number, exceeds: (v: number) => boolean, dflt: number): void => {
    const index = params.findIndex((p) => lightgbmParameterName(p.name) === canonical);
    const p = index >= 0 ? params[index] : undefined;
    if (p) {
      const clamped = clampDistribution(p.distribution, min, max);
      if (!clamped)
        throw capRefusal(p.name, `\`${p.name}\` has no value within ${min}..${max} allowed by ${flag} ${max}: change its range or the cap`);
      params[index] = { ...p, distribution: clamped };
      // Conditions on a categorical num_leaves/max_depth lose the choices the cap removed.
      if (clamped.type === 'categorical') {
        const kept = clamped.choices;
        params = params.map((q) => {
          if (q.when?.param !== p.name) return q;
          const values = q.when.in.filter((v) => kept.includes(v));
          if (!values.length)
            throw capRefusal(
              q.name,
              `\`${q.name}\` is searched only when ${p.name} is ${q.when.in.join(', ')}, which ${flag} ${max} excludes`,
            );
          return { ...q, when: { ...q.when, in: values } };
        });
      }
    }
    if ((!p || p.when) && exceeds(baseValue(canonical, dflt))) fixed[p?.name ?? canonical] = max;
  };
  if (caps.maxLeaves !== null && caps.maxLeaves !== undefined) {
    const cap = caps.maxLeaves;
    apply('num_leaves', '--max-leaves', 2, cap, (v) => v > cap, LIGHTGBM_DEFAULT_NUM_LEAVES);
  }
  if (caps.maxDepth !== null && caps.maxDepth !== undefined) {
    const cap = caps.maxDepth;
    apply('max_depth', '--max-depth', 1, cap, (v) => v <= 0 || v > cap, LIGHTGBM_DEFAULT_MAX_DEPTH);
  }
  return { space: searchSpaceSchema.parse({ params }), fixed };
}
