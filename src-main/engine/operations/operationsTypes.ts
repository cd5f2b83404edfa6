import type { Alert, Deployment, LoggedPrediction, MonitorCheck } from '../../shared/results/operations';
import type { OpsPolicy } from '../../shared/operations/opsPolicy';
import type { RoutedPrediction } from '../../shared/results/experiments';
import type { Clock } from './clock';

/** Who asked for a prediction (kept on every log row). */
export type PredictionVia = 'cli' | 'api' | 'import' | 'replay' | 'ui';

/** Rows of the operations tables a replay writes carry its id; live rows carry null. */
export interface Scope {
  replayId: string | null;
  clock: Clock;
}

export interface ScoredGame {
  gameId: string;
  date: string;
  home: string;
  away: string;
  p: number;
  seq: number;
  /** While an A/B experiment runs on the deployment: the routed variant, its probability and bet, and the shadow probability. */
  experiment?: RoutedPrediction;
}

/** What scored one request: the deployment's binding as read once at its start (a switch never mixes two in one answer). */
export interface ServedBinding {
  name: string;
  modelName: string;
  version: number | null;
}

/**
 * Deployments and their prediction log (owned by helper H1: engine/operations/deployments/*). Scoring
 * reads only what was known before first pitch (the point-in-time feature rows of the game, the latest
 * price quoted before the clock's time), appends one log row per game, and never updates a row.
 */
export interface DeploymentService {
  start(input: { model: string; name?: string; policy: OpsPolicy; policyText: string | null }, scope: Scope): Promise<Deployment>;
  get(name: string, scope: Scope): Promise<Deployment>;
  list(options: { all: boolean }): Promise<Deployment[]>;
  stop(name: string, scope: Scope): Promise<Deployment>;
  /** Scores the games of `date`, the listed `gameIds`, or the upcoming (scheduled) ones, and logs them; `served` is the binding that scored them all. */
  predict(
    name: string,
    games: { date: string | null; upcoming: boolean; gameIds?: string[] },
    via: PredictionVia,
    scope: Scope,
  ): Promise<{ predictions: ScoredGame[]; unscored: { gameId: string; reason: string }[]; served: ServedBinding }>;
  /** The log with outcomes and closing prices joined where the clock says they are known, newest first. */
  predictions(deploymentId: string, scope: Scope, options: { from?: string; to?: string; limit: number }): Promise<LoggedPrediction[]>;
  /** Appends a correction of logged row `seq` (a new row pointing at it, with its reason); no row is ever updated. */
  correct(seq: number, p: number, reason: string, via: PredictionVia, scope: Scope): Promise<LoggedPrediction>;
  /**
   * Makes an active deployment serve another model from now on (a retraining promoted a new production
   * version, or a replay's retraining won): the same deployment, log and checks; rows logged from now carry the new model.
   */
  serve(name: string, binding: { version: number | null; sourceModel: string }, scope: Scope): Promise<Deployment>;
  /** Scores games a games import just brought in as scheduled, with every active live deployment (never throws). */
  onScheduledGamesImported(gameIds: string[]): Promise<{ deployment: string; scored: number; unscored: number; error: string | null }[]>;
  /** The same for the scheduled games of one games import (its `importId`): the call after `data.importGames`. */
  onGamesImported(importId: string): Promise<{ deployment: string; scored: number; unscored: number; error: string | null }[]>;
}

/**
 * Monitoring checks and alerts (owned by helper H2: engine/operations/monitoring/*): a check compares
 * the windows of the prediction log (and the logged feature values) ending at the clock's time with the
 * deployment's reference, records every monitor's result, and opens, refreshes or resolves alerts.
 */
export interface MonitoringService {
  check(deployment: Deployment, scope: Scope): Promise<MonitorCheck>;
  checks(deploymentId: string, scope: Scope, limit: number): Promise<MonitorCheck[]>;
  alerts(filter: { deploymentId?: string; status?: 'firing' | 'resolved'; limit: number }, scope: Scope): Promise<Alert[]>;
  acknowledge(alertId: string, actor: string, scope: Scope): Promise<Alert>;
}

/** What an alert notifies (desktop notification, webhook): called after the alert is committed. */
export type AlertListener = (alert: Alert, event: 'opened' | 'resolved') => void;
