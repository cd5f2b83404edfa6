import type { Sql } from '../workspace/sql';
import { DEFAULT_DEMO } from './buildDemo';

/**
 * The first-start rule (the first start of the app on an empty workspace builds the demo league on its
 * own, with a progress bar), decided here and nowhere else.
 *
 * Why the engine decides but the renderer asks: both the desktop window and `bullpen serve` run the same
 * renderer against the same engine ops, so one op (`demo.firstStart`, called once by the app shell when
 * it opens) covers both paths. The engine host's own startup is the wrong trigger: the CLI opens engines
 * too (`bullpen data import …` on a fresh workspace must not get a synthetic league mixed into real
 * data), and only the renderer knows a person is looking at the app. The engine, not the page, makes
 * the decision so two windows opening at once start one build, and a workspace whose first build was
 * cancelled is never rebuilt behind the user's back.
 */

/** `0`/`off` disables the automatic build (tests that want an empty workspace); a season range shortens it. */
export const AUTO_DEMO_ENV = 'BULLPEN_AUTO_DEMO';
/** bullpen_meta key: set once the automatic build was started, so it is never started twice. */
export const FIRST_START_META_KEY = 'first_start_demo';

const OFF_VALUES = new Set(['0', 'off', 'false', 'no']);
const SEASON_RANGE = /^\d{4}(-\d{4})?$/;
export const DEFAULT_FIRST_START_SEASONS = `${DEFAULT_DEMO.firstSeason}-${DEFAULT_DEMO.lastSeason}`;

export type FirstStartReason = 'emptyWorkspace' | 'disabled' | 'hasGames' | 'alreadyStarted' | 'running';

export type FirstStartDecision = { build: true; seasons: string } | { build: false; reason: Exclude<FirstStartReason, 'emptyWorkspace'> };

/**
 * Whether opening the app should build the demo league now: only for a workspace with no games, no
 * demo build running, and no automatic build started before (whatever became of it).
 */
export async function decideFirstStart(sql: Sql, envValue: string | undefined, demoJobRunning: boolean): Promise<FirstStartDecision> {
  const setting = (envValue ?? '').trim().toLowerCase();
  if (OFF_VALUES.has(setting)) return { build: false, reason: 'disabled' };
  if (demoJobRunning) return { build: false, reason: 'running' };
  const games = Number(await sql.value('SELECT count(*) FROM games'));
  if (games > 0) return { build: false, reason: 'hasGames' };
  const started = await sql.value(`SELECT value FROM bullpen_meta WHERE key = ?`, [FIRST_START_META_KEY]);
  if (started !== undefined && started !== null) return { build: false, reason: 'alreadyStarted' };
  return { build: true, seasons: SEASON_RANGE.test(setting) ? setting : DEFAULT_FIRST_START_SEASONS };
}
