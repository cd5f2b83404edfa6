import { decimal, digitsApart, percent, whole } from '../../../../src-workers/compute/validation/format';
import { inputError } from '../../../shared/errors';
import type { RetrainingPolicy } from '../../../shared/operations/opsPolicy';
import { previousScheduled } from '../scheduler/cronSchedule';

/**
 * Whether a deployment's retraining should start now: a pure function of what monitoring measured, the
 * data's state and the retraining history, evaluated after every monitoring check (live or replayed), so the
 * same code decides in both and is tested with any clock. It reads no clock itself: `state.at` is the time.
 */

export type TriggerName = 'performance' | 'drift' | 'schedule' | 'dataVolume' | 'manual';

export interface TriggerState {
  /** The clock's time of the evaluation (after a monitoring check). */
  at: Date;
  /** One entry per checked day, ascending (the last check of each day), from the deployment's monitoring checks. */
  driftScores: { date: string; value: number | null }[];
  /** The policy's rolling performance metric over its last `days` days of settled games (value null when none). */
  performance: { value: number | null; games: number };
  /** Settled games newer than the champion's training data (counted once: after a retraining this restarts from the new model's data end). */
  newSettledGames: number;
  /** When the last retraining of this deployment started (any decision); null if never. */
  lastRetrainAt: Date | null;
  /** The latest schedule slot (cron time) already served by a retraining, or null. */
  lastScheduledFor: Date | null;
  /** The deployment's creation: schedule slots before it are never caught up. */
  since: Date;
}

export interface TriggerFiring {
  trigger: TriggerName;
  reason: string;
  scheduledFor: Date | null;
}

export interface TriggerEvaluation {
  /** The first trigger that holds, in the order performance, drift, dataVolume, schedule. */
  fire: TriggerFiring | null;
  /** A trigger that held but the cooldown blocks (then fire is null). */
  heldByCooldown: TriggerFiring | null;
  /** Every enabled trigger, for the history. */
  evaluated: { trigger: TriggerName; holds: boolean; detail: string }[];
}

const DAY_MS = 86_400_000;

interface Check {
  trigger: TriggerName;
  holds: boolean;
  detail: string;
  scheduledFor: Date | null;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${whole(n)} ${n === 1 ? one : many}`;

function performanceCheck(state: TriggerState, rule: RetrainingPolicy['triggers']['performance']): Check {
  const { value, games } = state.performance;
  const window = `over the last ${plural(rule.days, 'day')}`;
  const show = (v: number) => (rule.metric === 'logLoss' ? decimal(v, 4) : percent(v, { signed: rule.metric === 'roi' }));
  const name = rule.metric === 'logLoss' ? 'log loss' : rule.metric === 'roi' ? 'ROI' : 'accuracy';
  const check = (holds: boolean, detail: string): Check => ({ trigger: 'performance', holds, detail, scheduledFor: null });
  if (value === null || games < rule.minGames)
    return check(false, `only ${plural(games, 'settled game')} ${window}, fewer than the ${whole(rule.minGames)} needed to judge ${name}`);
  // Log loss is worse when higher; ROI and accuracy when lower.
  const worse = rule.metric === 'logLoss' ? value > rule.threshold : value < rule.threshold;
  const side = rule.metric === 'logLoss' ? (worse ? 'above' : 'not above') : worse ? 'below' : 'not below';
  return check(worse, `${name} ${show(value)} ${window} (${plural(games, 'settled game')}), ${side} ${show(rule.threshold)}`);
}

/** Days since the epoch of a YYYY-MM-DD date (a timestamp's first ten characters), to tell consecutive days apart. */
function dayNumber(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== date.slice(0, 10))
    throw inputError('TRIGGER_BAD_DATE', `drift score date "${date}" is not a calendar date (YYYY-MM-DD)`, { date });
  return t / DAY_MS;
}

/** "2016-07-12..07-14", the year repeated only when the run crosses one. */
function dateRange(first: string, last: string): string {
  const a = first.slice(0, 10);
  const b = last.slice(0, 10);
  if (a === b) return a;
  return `${a}..${a.slice(0, 4) === b.slice(0, 4) ? b.slice(5) : b}`;
}

function driftCheck(state: TriggerState, rule: RetrainingPolicy['triggers']['drift']): Check {
  const scores = state.driftScores;
  const check = (holds: boolean, detail: string): Check => ({ trigger: 'drift', holds, detail, scheduledFor: null });
  const above = decimal(rule.above, String(rule.above).split('.')[1]?.length ?? 0);
  if (scores.length === 0)
    return check(false, `no drift scores yet (${plural(rule.consecutiveDays, 'consecutive day')} above ${above} needed)`);
  // The run of consecutive calendar days, counted back from the latest check, whose score is above the limit;
  // a missing score or a day without a check ends it.
  let run = 0;
  for (let i = scores.length - 1; i >= 0 && run < rule.consecutiveDays; i--) {
    const v = scores[i].value;
    if (v === null || !(v > rule.above)) break;
    if (i < scores.length - 1 && dayNumber(scores[i + 1].date) - dayNumber(scores[i].date) !== 1) break;
    run++;
  }
  const last = scores[scores.length - 1];
  if (run >= rule.consecutiveDays) {
    const days = scores.slice(scores.length - run);
    const values = days.map((d) => decimal(d.value as number, digitsApart(d.value as number, rule.above, 2))).join(', ');
    return check(
      true,
      `drift score above ${above} on ${plural(run, 'consecutive day')} (${dateRange(days[0].date, last.date)}: ${values})`,
    );
  }
  const latest =
    last.value === null
      ? `no drift score on ${last.date.slice(0, 10)}`
      : `drift score ${decimal(last.value, 2)} on ${last.date.slice(0, 10)}`;
  return check(false, `${latest}: above ${above} on ${plural(run, 'consecutive day')} up to it, ${whole(rule.consecutiveDays)} needed`);
}

function dataVolumeCheck(state: TriggerState, rule: RetrainingPolicy['triggers']['dataVolume']): Check {
  const n = state.newSettledGames;
  const holds = n > rule.newGames;
  return {
    trigger: 'dataVolume',
    holds,
    detail: `${plural(n, 'settled game')} newer than the model's training data, ${holds ? 'more than' : 'not more than'} ${whole(rule.newGames)}`,
    scheduledFor: null,
  };
}

/**
 * The latest slot at or before `at` that no retraining has served and that is not older than the deployment:
 * however many slots were missed (the laptop was closed for weeks), one firing serves the latest of them.
 */
function scheduleCheck(state: TriggerState, rule: RetrainingPolicy['triggers']['schedule']): Check {
  const slot = previousScheduled(rule.cron, rule.timezone, state.at);
  const baseline = Math.max(state.lastScheduledFor?.getTime() ?? Number.NEGATIVE_INFINITY, state.since.getTime());
  const schedule = `schedule "${rule.cron}" (${rule.timezone})`;
  if (slot === null) return { trigger: 'schedule', holds: false, detail: `${schedule} has no slot yet`, scheduledFor: null };
  const holds = slot.getTime() > baseline;
  const detail = holds
    ? `${schedule} slot ${slot.toISOString()} not yet served`
    : `${schedule}: latest slot ${slot.toISOString()} ${state.lastScheduledFor && slot.getTime() <= state.lastScheduledFor.getTime() ? 'already served' : 'precedes the deployment'}`;
  return { trigger: 'schedule', holds, detail, scheduledFor: holds ? slot : null };
}

/**
 * Every enabled trigger of the policy against the state; the first that holds (performance, drift, data
 * volume, schedule) fires, unless a retraining started less than `cooldownDays` ago. Nothing is evaluated
 * when retraining is disabled. `manual` is never evaluated here: a person starts it directly.
 */
export function evaluateTriggers(state: TriggerState, policy: RetrainingPolicy): TriggerEvaluation {
  if (!policy.enabled) return { fire: null, heldByCooldown: null, evaluated: [] };
  const t = policy.triggers;
  const checks: Check[] = [];
  if (t.performance.enabled) checks.push(performanceCheck(state, t.performance));
  if (t.drift.enabled) checks.push(driftCheck(state, t.drift));
  if (t.dataVolume.enabled) checks.push(dataVolumeCheck(state, t.dataVolume));
  if (t.schedule.enabled) checks.push(scheduleCheck(state, t.schedule));
  const evaluated = checks.map(({ trigger, holds, detail }) => ({ trigger, holds, detail }));
  const first = checks.find((c) => c.holds);
  if (!first) return { fire: null, heldByCooldown: null, evaluated };

  const firing: TriggerFiring = { trigger: first.trigger, reason: first.detail, scheduledFor: first.scheduledFor };
  if (state.lastRetrainAt) {
    const since = state.at.getTime() - state.lastRetrainAt.getTime();
    if (since < policy.cooldownDays * DAY_MS) {
      const days = since / DAY_MS;
      const held: TriggerFiring = {
        ...firing,
        reason: `${firing.reason}; held by the ${whole(policy.cooldownDays)}-day cooldown (last retraining ${decimal(days, 1)} days ago, at ${state.lastRetrainAt.toISOString()})`,
      };
      return { fire: null, heldByCooldown: held, evaluated };
    }
  }
  return { fire: firing, heldByCooldown: null, evaluated };
}
