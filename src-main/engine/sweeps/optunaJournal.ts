import { BullpenError } from '../../shared/errors';
import type { Distribution, ParamValue, SearchParam } from '../../shared/sweep/distributions';
import { FOLD_END, STEP_STRIDE, type TrialState, objectiveDirection } from '../../shared/sweep/trials';
import type { StoredTrial, SweepRecord } from './sweepStorage';

/**
 * A sweep as an Optuna JournalStorage file (`ml sweeps export ID --format optuna-journal`): Python's
 * `optuna.load_study(storage=JournalStorage(JournalFileBackend(path)))` reads it with the same trials,
 * numbers, parameters, distributions, values, intermediate values and states, and optuna-dashboard opens
 * it (it reads a journal file through that same storage class).
 *
 * The format, as Optuna 5.0 writes and replays it (optuna/storages/journal/_storage.py, _file.py):
 * - one JSON object per line, each ending in "\n", each with `op_code` and `worker_id` (replay compares
 *   `worker_id` with its own, so any string that is not a live Optuna worker's id will do);
 * - op 0 CREATE_STUDY {study_name, directions: [1 minimize | 2 maximize]}, the first study gets id 0;
 *   op 2 / 3 SET_STUDY_USER_ATTR / SET_STUDY_SYSTEM_ATTR {study_id, user_attr | system_attr: {key: value}},
 *   where system attr `study:metric_names` is what Study.set_metric_names stores (optuna/study/study.py);
 * - op 4 CREATE_TRIAL with a whole trial, the form Optuna itself writes for `study.add_trial` and
 *   `copy_study`: {study_id, state (0 RUNNING, 1 COMPLETE, 2 PRUNED, 3 FAIL), value | values (`value` for
 *   one objective, `values` for several, never both), datetime_start, datetime_complete (only when
 *   finished: replay parses the key whenever it is present), distributions: {name: distribution_to_json
 *   string}, params: {name: internal representation}, user_attrs, system_attrs, intermediate_values:
 *   {"step": value}}. A trial's number is its position among the study's trials, so trials are written in
 *   Bullpen's number order with no gaps;
 * - distribution_to_json (optuna/distributions.py) is the *string* of {"name": class name, "attributes":
 *   the constructor's fields}; the internal representation of a float or int is the number itself and of a
 *   categorical the index of the choice (to_internal_repr);
 * - Python's json reads NaN and ±Infinity tokens (Optuna writes them too), so non-finite intermediate
 *   values survive; datetimes are ISO 8601 with microseconds and a UTC offset, as Optuna writes them.
 *
 * With two objectives the intermediate values go to the trial's user attribute
 * `bullpen:intermediate_values` instead: Optuna never reports them in a multi-objective study
 * (Trial.report refuses), and its TPE sampler fails on such a study's pruned trials when they have some
 * (samplers/_tpe/sampler.py, _get_pruned_trial_score asks for the single direction), so a Python user could
 * not continue the exported study.
 *
 * One CREATE_TRIAL per trial keeps the file small (a trial reports an intermediate value per boosting
 * iteration and fold; one line per report would be thousands of lines a trial).
 */

const op = { createStudy: 0, setStudyUserAttr: 2, setStudySystemAttr: 3, createTrial: 4 } as const;
const optunaState: Record<TrialState, number> = { running: 0, complete: 1, pruned: 2, fail: 3 };
const optunaDirection = { minimize: 1, maximize: 2 } as const;

/** Study system attribute Optuna's Study.set_metric_names writes (read back as study.metric_names). */
const METRIC_NAMES_ATTR = 'study:metric_names';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** JSON as Python's json module reads it: NaN and ±Infinity as its tokens, where JSON.stringify would write null. */
function pyJson(v: Json): string {
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'NaN';
    if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
    return JSON.stringify(v);
  }
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(pyJson).join(',')}]`;
  return `{${Object.entries(v)
    .map(([k, x]) => `${JSON.stringify(k)}:${pyJson(x)}`)
    .join(',')}}`;
}

/** distribution_to_json: the JSON text of {name: class, attributes}, attributes in Optuna's field order. */
function distributionJson(d: Distribution): string {
  const body =
    d.type === 'float'
      ? { name: 'FloatDistribution', attributes: { step: d.step, low: d.low, high: d.high, log: d.log } }
      : d.type === 'int'
        ? { name: 'IntDistribution', attributes: { log: d.log, step: d.step, low: d.low, high: d.high } }
        : { name: 'CategoricalDistribution', attributes: { choices: d.choices } };
  return JSON.stringify(body);
}

/** datetime.isoformat(timespec="microseconds") of a UTC datetime: 2024-05-01T12:00:00.123000+00:00. */
function optunaTime(iso: string | null, fallback: string): string {
  const ms = Date.parse(iso ?? '');
  const date = new Date(Number.isNaN(ms) ? Date.parse(fallback) : ms);
  if (Number.isNaN(date.getTime()))
    throw new BullpenError('internal', 'SWEEP_EXPORT_INVALID', `unreadable time ${iso ?? fallback} in the sweep`);
  return date.toISOString().replace(/Z$/, '000+00:00');
}

const noNaN = (values: readonly number[]): boolean => values.every((v) => !Number.isNaN(v));

/** `value` and `values` as CREATE_TRIAL takes them: one objective in `value`, several in `values`. */
function valueFields(values: readonly number[] | null): { value: number | null; values: number[] | null } {
  if (values === null) return { value: null, values: null };
  return values.length > 1 ? { value: null, values: [...values] } : { value: values[0], values: null };
}

interface TrialLine {
  state: number;
  values: number[] | null;
  complete: string | null;
  note: string | null;
}

/**
 * How a Bullpen trial ends in Optuna's terms. A trial still running in a live sweep stays RUNNING; in a
 * sweep that stopped (interrupted, failed, cancelled) nobody will finish it, so it is FAIL, as Optuna's
 * heartbeat marks a stale trial (storages/_heartbeat.py, fail_stale_trials); `--resume` re-runs it in Bullpen.
 */
function ending(sweep: SweepRecord, t: StoredTrial, objectives: number, start: string): TrialLine {
  const finished = t.finishedAt ?? t.heartbeatAt ?? t.startedAt;
  const complete = optunaTime(finished, sweep.finishedAt ?? sweep.createdAt);
  const fits = t.values !== null && t.values.length === objectives && noNaN(t.values);
  if (t.state === 'running') {
    if (sweep.status === 'running') return { state: optunaState.running, values: null, complete: null, note: null };
    return {
      state: optunaState.fail,
      values: null,
      complete: optunaTime(t.heartbeatAt ?? t.startedAt, start),
      note: `interrupted: the sweep is ${sweep.status} and this trial never finished (bullpen ml optimize --resume re-runs it)`,
    };
  }
  if (t.state === 'complete') {
    if (fits) return { state: optunaState.complete, values: t.values, complete, note: null };
    return {
      state: optunaState.fail,
      values: null,
      complete,
      note: `complete in Bullpen, but its values ${JSON.stringify(t.values)} are not ${objectives} numbers`,
    };
  }
  if (t.state === 'pruned') {
    if (fits) return { state: optunaState.pruned, values: t.values, complete, note: null };
    // Optuna's own rule for a pruned trial (study/_tell.py): one objective takes its last intermediate value.
    const last = [...t.intermediate].sort((a, b) => a.step - b.step).at(-1);
    const values = objectives === 1 && last && !Number.isNaN(last.value) ? [last.value] : null;
    return { state: optunaState.pruned, values, complete, note: null };
  }
  return { state: optunaState.fail, values: null, complete, note: null };
}

function paramFields(
  t: StoredTrial,
  space: readonly SearchParam[],
): { distributions: Record<string, string>; params: Record<string, number> } {
  const distributions: Record<string, string> = {};
  const params: Record<string, number> = {};
  const inSpace = new Map(space.map((p) => [p.name, p.distribution]));
  // Space order first (Optuna keeps params in suggestion order), then anything else the trial recorded.
  const names = [...space.map((p) => p.name).filter((n) => n in t.params), ...Object.keys(t.params).filter((n) => !inSpace.has(n))];
  for (const name of names) {
    const value: ParamValue = t.params[name];
    // A parameter outside the space (a value every trial was given) is a categorical of one choice, Optuna's fixed parameter.
    const d: Distribution = inSpace.get(name) ?? { type: 'categorical', choices: [value] };
    distributions[name] = distributionJson(d);
    if (d.type === 'categorical') {
      const index = d.choices.findIndex((c) => c === value);
      if (index < 0)
        throw new BullpenError(
          'internal',
          'SWEEP_EXPORT_INVALID',
          `trial ${t.number} has ${name} = ${JSON.stringify(value)}, which is not one of its choices ${JSON.stringify(d.choices)}`,
        );
      params[name] = index;
    } else {
      if (typeof value !== 'number')
        throw new BullpenError(
          'internal',
          'SWEEP_EXPORT_INVALID',
          `trial ${t.number} has ${name} = ${JSON.stringify(value)}, which is not a number`,
        );
      params[name] = value;
    }
  }
  return { distributions, params };
}

/** The Optuna journal of a sweep and its trials (any order, one per number); the file's whole text. */
export function optunaJournal(sweep: SweepRecord, trials: readonly StoredTrial[]): string {
  const workerId = `bullpen-export-${sweep.id}`;
  const lines: string[] = [];
  const write = (opCode: number, fields: Record<string, Json>): void => {
    lines.push(pyJson({ op_code: opCode, worker_id: workerId, ...fields }));
  };
  const { config } = sweep;
  const objectives = config.objectives.length;
  write(op.createStudy, { study_name: sweep.name, directions: config.objectives.map((o) => optunaDirection[objectiveDirection[o]]) });
  write(op.setStudySystemAttr, { study_id: 0, system_attr: { [METRIC_NAMES_ATTR]: [...config.objectives] } });
  const studyAttrs: Record<string, Json> = {
    'bullpen:sweep_id': sweep.id,
    'bullpen:status': sweep.status,
    'bullpen:sampler': config.sampler,
    'bullpen:seed': config.seed,
    'bullpen:target': config.target,
    'bullpen:features': config.features,
    'bullpen:intermediate_steps': `fold × ${STEP_STRIDE} + boosting iteration: the fold's inner validation log loss; fold × ${STEP_STRIDE} + ${FOLD_END}: mean test log loss of folds 0..fold`,
    ...(objectives > 1
      ? {
          'bullpen:intermediate_values':
            "in each trial's user attribute bullpen:intermediate_values (Optuna keeps none in a multi-objective study)",
        }
      : {}),
    'bullpen:config': JSON.parse(JSON.stringify(config)) as Json,
  };
  for (const [key, value] of Object.entries(studyAttrs)) write(op.setStudyUserAttr, { study_id: 0, user_attr: { [key]: value } });

  // The latest attempt of each number; Optuna numbers trials by position, so a missing number gets a FAIL placeholder.
  const byNumber = new Map<number, StoredTrial>();
  for (const t of trials) if ((byNumber.get(t.number)?.attempt ?? 0) < t.attempt) byNumber.set(t.number, t);
  const count = byNumber.size ? Math.max(...byNumber.keys()) + 1 : 0;
  for (let number = 0; number < count; number++) {
    const t = byNumber.get(number);
    if (!t) {
      const at = optunaTime(sweep.createdAt, sweep.createdAt);
      write(op.createTrial, {
        study_id: 0,
        state: optunaState.fail,
        value: null,
        values: null,
        datetime_start: at,
        datetime_complete: at,
        distributions: {},
        params: {},
        user_attrs: { 'bullpen:note': `trial ${number} was never started in Bullpen; it stands here so later trials keep their numbers` },
        system_attrs: {},
        intermediate_values: {},
      });
      continue;
    }
    const start = optunaTime(t.startedAt, sweep.createdAt);
    const end = ending(sweep, t, objectives, start);
    const userAttrs: Record<string, Json> = { 'bullpen:attempt': t.attempt };
    if (t.runId) userAttrs['bullpen:run_id'] = t.runId;
    if (t.durationMs !== null) userAttrs['bullpen:duration_ms'] = t.durationMs;
    if (t.reason) userAttrs['bullpen:reason'] = t.reason;
    if (t.prunedAt !== null) userAttrs['bullpen:pruned_at_step'] = t.prunedAt;
    if (end.note) userAttrs['bullpen:note'] = end.note;
    if (t.foldValues) userAttrs['bullpen:fold_values'] = t.foldValues;
    const intermediate: Record<string, Json> = {};
    for (const p of [...t.intermediate].sort((a, b) => a.step - b.step)) intermediate[String(p.step)] = p.value;
    if (objectives > 1 && t.intermediate.length) userAttrs['bullpen:intermediate_values'] = intermediate;
    write(op.createTrial, {
      study_id: 0,
      state: end.state,
      ...valueFields(end.values),
      datetime_start: start,
      ...(end.complete === null ? {} : { datetime_complete: end.complete }),
      ...paramFields(t, config.space.params),
      user_attrs: userAttrs,
      system_attrs: {},
      intermediate_values: objectives > 1 ? {} : intermediate,
    });
  }
  return lines.map((l) => `${l}\n`).join('');
}
