import { describe, expect, it } from 'vitest';
import { evaluateTriggers, type TriggerState } from '../../../src-main/engine/operations/retraining/triggers';
import { retrainingPolicySchema, type RetrainingPolicy } from '../../../src-main/shared/operations/opsPolicy';

const at = (iso: string): Date => new Date(iso);
const DAY_MS = 86_400_000;

/** The original system's defaults with retraining switched on, plus overrides of single triggers. */
function policy(overrides: Record<string, unknown> = {}, triggers: Record<string, unknown> = {}): RetrainingPolicy {
  const base = retrainingPolicySchema.parse({ enabled: true });
  return retrainingPolicySchema.parse({
    ...base,
    ...overrides,
    triggers: Object.fromEntries(
      Object.entries(base.triggers).map(([name, rule]) => [name, { ...rule, ...((triggers[name] as object | undefined) ?? {}) }]),
    ),
  });
}

/**
 * A quiet Thursday, 2016-07-14: low drift, ROI above 3% on enough games, few new games, and the last
 * Sunday slot (07-10 06:00 UTC) already served. Nothing holds; each test changes one thing.
 */
function quiet(overrides: Partial<TriggerState> = {}): TriggerState {
  return {
    at: at('2016-07-14T12:00:00Z'),
    driftScores: [
      { date: '2016-07-12', value: 0.3 },
      { date: '2016-07-13', value: 0.35 },
      { date: '2016-07-14', value: 0.32 },
    ],
    performance: { value: 0.05, games: 90 },
    newSettledGames: 10,
    lastRetrainAt: null,
    lastScheduledFor: at('2016-07-10T06:00:00Z'),
    since: at('2016-04-01T00:00:00Z'),
    ...overrides,
  };
}

const drift = (...days: [string, number | null][]) => days.map(([date, value]) => ({ date, value }));

describe('evaluateTriggers: nothing holds, or retraining is off', () => {
  it('fires nothing on a quiet day and lists every enabled trigger in order', () => {
    const e = evaluateTriggers(quiet(), policy());
    expect(e.fire).toBeNull();
    expect(e.heldByCooldown).toBeNull();
    expect(e.evaluated.map((x) => [x.trigger, x.holds])).toEqual([
      ['performance', false],
      ['drift', false],
      ['dataVolume', false],
      ['schedule', false],
    ]);
  });

  it('evaluates nothing when retraining is disabled, whatever holds', () => {
    const state = quiet({
      performance: { value: -0.2, games: 200 },
      newSettledGames: 5000,
      driftScores: drift(['2016-07-12', 0.9], ['2016-07-13', 0.9], ['2016-07-14', 0.9]),
    });
    const e = evaluateTriggers(state, policy({ enabled: false }));
    expect(e).toEqual({ fire: null, heldByCooldown: null, evaluated: [] });
  });

  it('leaves a disabled trigger out even when its condition holds', () => {
    const state = quiet({ driftScores: drift(['2016-07-12', 0.9], ['2016-07-13', 0.9], ['2016-07-14', 0.9]) });
    const e = evaluateTriggers(state, policy({}, { drift: { enabled: false } }));
    expect(e.fire).toBeNull();
    expect(e.evaluated.map((x) => x.trigger)).toEqual(['performance', 'dataVolume', 'schedule']);
  });
});

describe('evaluateTriggers: drift', () => {
  it('fires on exactly 3 consecutive days above 0.8, naming the days and the scores', () => {
    const state = quiet({ driftScores: drift(['2016-07-11', 0.2], ['2016-07-12', 0.83], ['2016-07-13', 0.85], ['2016-07-14', 0.81]) });
    const e = evaluateTriggers(state, policy());
    expect(e.fire).toEqual({
      trigger: 'drift',
      reason: 'drift score above 0.8 on 3 consecutive days (2016-07-12..07-14: 0.83, 0.85, 0.81)',
      scheduledFor: null,
    });
  });

  it('does not fire on 2 days, on a gap between days, on a missing score, or at exactly the limit', () => {
    const cases = [
      drift(['2016-07-12', 0.2], ['2016-07-13', 0.85], ['2016-07-14', 0.81]),
      drift(['2016-07-11', 0.83], ['2016-07-12', 0.85], ['2016-07-14', 0.81]),
      drift(['2016-07-12', 0.83], ['2016-07-13', null], ['2016-07-14', 0.81]),
      drift(['2016-07-12', 0.83], ['2016-07-13', 0.8], ['2016-07-14', 0.81]),
      drift(['2016-07-11', 0.83], ['2016-07-12', 0.85], ['2016-07-13', 0.81], ['2016-07-14', 0.5]),
      drift(['2016-07-13', 0.85], ['2016-07-14', 0.81]),
      [],
    ];
    for (const driftScores of cases) {
      const e = evaluateTriggers(quiet({ driftScores }), policy());
      expect(e.fire, JSON.stringify(driftScores)).toBeNull();
      expect(e.evaluated.find((x) => x.trigger === 'drift')?.holds).toBe(false);
    }
  });

  it('counts consecutive calendar days across a month and a year end', () => {
    const e = evaluateTriggers(
      quiet({ at: at('2017-01-01T12:00:00Z'), driftScores: drift(['2016-12-30', 0.9], ['2016-12-31', 0.9], ['2017-01-01', 0.95]) }),
      policy({}, { schedule: { enabled: false } }),
    );
    expect(e.fire?.trigger).toBe('drift');
    expect(e.fire?.reason).toBe('drift score above 0.8 on 3 consecutive days (2016-12-30..2017-01-01: 0.90, 0.90, 0.95)');
  });

  it('follows the policy: 1 day at a 0.5 limit', () => {
    const e = evaluateTriggers(
      quiet({ driftScores: drift(['2016-07-14', 0.51]) }),
      policy({}, { drift: { above: 0.5, consecutiveDays: 1 } }),
    );
    expect(e.fire?.trigger).toBe('drift');
  });
});

describe('evaluateTriggers: performance and data volume', () => {
  it('fires on ROI below 3% with enough games, not at 3% nor with too few games', () => {
    expect(evaluateTriggers(quiet({ performance: { value: 0.029, games: 50 } }), policy()).fire?.trigger).toBe('performance');
    expect(evaluateTriggers(quiet({ performance: { value: 0.03, games: 50 } }), policy()).fire).toBeNull();
    expect(evaluateTriggers(quiet({ performance: { value: -0.1, games: 49 } }), policy()).fire).toBeNull();
    expect(evaluateTriggers(quiet({ performance: { value: null, games: 0 } }), policy()).fire).toBeNull();
    const reason = evaluateTriggers(quiet({ performance: { value: -0.012, games: 112 } }), policy()).fire?.reason;
    expect(reason).toContain('112 settled games');
    expect(reason).toContain('7 days');
    expect(reason).toContain('\u22121.2%');
  });

  it('fires on log loss above its threshold (higher is worse) and on accuracy below it', () => {
    const logLoss = policy({}, { performance: { metric: 'logLoss', threshold: 0.69 } });
    expect(evaluateTriggers(quiet({ performance: { value: 0.7, games: 60 } }), logLoss).fire?.trigger).toBe('performance');
    expect(evaluateTriggers(quiet({ performance: { value: 0.68, games: 60 } }), logLoss).fire).toBeNull();
    const accuracy = policy({}, { performance: { metric: 'accuracy', threshold: 0.55 } });
    expect(evaluateTriggers(quiet({ performance: { value: 0.54, games: 60 } }), accuracy).fire?.trigger).toBe('performance');
    expect(evaluateTriggers(quiet({ performance: { value: 0.56, games: 60 } }), accuracy).fire).toBeNull();
  });

  it('fires on 1001 new settled games, not on 1000', () => {
    expect(evaluateTriggers(quiet({ newSettledGames: 1000 }), policy()).fire).toBeNull();
    const e = evaluateTriggers(quiet({ newSettledGames: 1001 }), policy());
    expect(e.fire?.trigger).toBe('dataVolume');
    expect(e.fire?.reason).toContain('1,001 settled games');
  });

  it('fires the first holding trigger in the order performance, drift, data volume, schedule', () => {
    const all = quiet({
      at: at('2016-07-17T07:00:00Z'),
      performance: { value: 0, games: 100 },
      driftScores: drift(['2016-07-15', 0.9], ['2016-07-16', 0.9], ['2016-07-17', 0.9]),
      newSettledGames: 2000,
    });
    const e = evaluateTriggers(all, policy());
    expect(e.evaluated.every((x) => x.holds)).toBe(true);
    expect(e.fire?.trigger).toBe('performance');
    expect(evaluateTriggers(all, policy({}, { performance: { enabled: false } })).fire?.trigger).toBe('drift');
    expect(evaluateTriggers(all, policy({}, { performance: { enabled: false }, drift: { enabled: false } })).fire?.trigger).toBe(
      'dataVolume',
    );
    const onlySchedule = policy({}, { performance: { enabled: false }, drift: { enabled: false }, dataVolume: { enabled: false } });
    expect(evaluateTriggers(all, onlySchedule).fire?.trigger).toBe('schedule');
  });
});

describe('evaluateTriggers: schedule (weekly, Sunday 06:00 UTC)', () => {
  it('catches up two missed Sundays once, with the latest slot, then waits for the next slot', () => {
    for (const d of ['2016-07-10', '2016-07-17', '2016-07-24', '2016-07-31']) expect(at(d).getUTCDay()).toBe(0);
    // Closed since the 07-10 run: the 07-17 and 07-24 slots were missed.
    const first = evaluateTriggers(quiet({ at: at('2016-07-24T12:00:00Z') }), policy());
    expect(first.fire?.trigger).toBe('schedule');
    expect(first.fire?.scheduledFor).toEqual(at('2016-07-24T06:00:00Z'));

    // The pipeline records the slot it served; the later checks that day and during the week fire nothing.
    const served = at('2016-07-24T06:00:00Z');
    const retrained = at('2016-07-24T12:00:00Z');
    for (const t of ['2016-07-24T13:00:00Z', '2016-07-27T12:00:00Z', '2016-07-31T05:59:59Z']) {
      const e = evaluateTriggers(quiet({ at: at(t), lastScheduledFor: served, lastRetrainAt: retrained }), policy());
      expect(e.fire, t).toBeNull();
      expect(e.heldByCooldown, t).toBeNull();
    }
    // The next slot comes 6.75 days after that retraining: the 7-day cooldown holds it, and the first check
    // after the cooldown serves it.
    const due = evaluateTriggers(quiet({ at: at('2016-07-31T06:00:00Z'), lastScheduledFor: served, lastRetrainAt: retrained }), policy());
    expect(due.fire).toBeNull();
    expect(due.heldByCooldown?.trigger).toBe('schedule');
    expect(due.heldByCooldown?.scheduledFor).toEqual(at('2016-07-31T06:00:00Z'));
    const next = evaluateTriggers(quiet({ at: at('2016-07-31T12:00:00Z'), lastScheduledFor: served, lastRetrainAt: retrained }), policy());
    expect(next.fire?.trigger).toBe('schedule');
    expect(next.fire?.scheduledFor).toEqual(at('2016-07-31T06:00:00Z'));
    const noCooldown = policy({ cooldownDays: 0 });
    const onTime = evaluateTriggers(
      quiet({ at: at('2016-07-31T06:00:00Z'), lastScheduledFor: served, lastRetrainAt: retrained }),
      noCooldown,
    );
    expect(onTime.fire?.scheduledFor).toEqual(at('2016-07-31T06:00:00Z'));
  });

  it('never catches up slots older than the deployment', () => {
    const since = at('2016-07-12T09:00:00Z');
    expect(evaluateTriggers(quiet({ since, lastScheduledFor: null }), policy()).fire).toBeNull();
    const e = evaluateTriggers(quiet({ since, lastScheduledFor: null, at: at('2016-07-17T06:00:00Z') }), policy());
    expect(e.fire?.scheduledFor).toEqual(at('2016-07-17T06:00:00Z'));
  });

  it("reads the cron in the policy's time zone", () => {
    // Sunday 06:00 in New York is 10:00 UTC in summer.
    const ny = policy({}, { schedule: { timezone: 'America/New_York' } });
    const lastScheduledFor = at('2016-07-10T10:00:00Z');
    expect(evaluateTriggers(quiet({ at: at('2016-07-17T09:59:00Z'), lastScheduledFor }), ny).fire).toBeNull();
    expect(evaluateTriggers(quiet({ at: at('2016-07-17T10:00:00Z'), lastScheduledFor }), ny).fire?.scheduledFor).toEqual(
      at('2016-07-17T10:00:00Z'),
    );
  });
});

describe('evaluateTriggers: cooldown', () => {
  const drifting = drift(['2016-07-12', 0.9], ['2016-07-13', 0.9], ['2016-07-14', 0.9]);

  it('holds a firing trigger while the last retraining is less than cooldownDays old', () => {
    const now = at('2016-07-14T12:00:00Z');
    const e = evaluateTriggers(quiet({ driftScores: drifting, lastRetrainAt: new Date(now.getTime() - 7 * DAY_MS + 60_000) }), policy());
    expect(e.fire).toBeNull();
    expect(e.heldByCooldown?.trigger).toBe('drift');
    expect(e.heldByCooldown?.reason).toContain('7-day cooldown');
    expect(e.evaluated.find((x) => x.trigger === 'drift')?.holds).toBe(true);
  });

  it('fires again once cooldownDays have passed, and immediately with no cooldown', () => {
    const now = at('2016-07-14T12:00:00Z');
    const week = evaluateTriggers(quiet({ driftScores: drifting, lastRetrainAt: new Date(now.getTime() - 7 * DAY_MS) }), policy());
    expect(week.fire?.trigger).toBe('drift');
    expect(week.heldByCooldown).toBeNull();
    const none = evaluateTriggers(quiet({ driftScores: drifting, lastRetrainAt: now }), policy({ cooldownDays: 0 }));
    expect(none.fire?.trigger).toBe('drift');
  });

  it('holds nothing when no trigger holds', () => {
    const e = evaluateTriggers(quiet({ lastRetrainAt: at('2016-07-14T11:00:00Z') }), policy());
    expect(e.fire).toBeNull();
    expect(e.heldByCooldown).toBeNull();
  });
});
