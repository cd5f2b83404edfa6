import type { Sql } from '../../workspace/sql';

/** One logged prediction as the monitors read it: its feature values in the reference's feature order. */
export interface LoggedRow {
  seq: number;
  gameId: string;
  gameDate: string;
  predictedAt: number;
  p: number;
  features: Float64Array;
  /** The lower of the two teams' game numbers this season (1 = a team's opener); NaN when unknown. */
  gameOfSeason: number;
}

/**
 * A deployment's prediction log in memory, read incrementally: the log is append-only, so each check reads
 * only the rows added since the last one, and parses their feature JSON once (a replay checks every day
 * over a 30-day window; re-reading it would parse each row thirty times).
 */
export class PredictionLogCache {
  private readonly rows: LoggedRow[] = [];
  private lastSeq = 0;

  constructor(
    private readonly deploymentId: string,
    private readonly replayId: string | null,
    private readonly featureNames: readonly string[],
  ) {}

  async refresh(sql: Sql): Promise<void> {
    const fresh = await sql.all<{
      seq: number;
      game_id: string;
      d: string;
      at: number;
      p: number;
      features: string;
      gos: number | null;
    }>(
      `SELECT l.seq, l.game_id, strftime(l.game_date, '%Y-%m-%d') AS d, epoch_ms(l.predicted_at) AS at, l.p, l.features::VARCHAR AS features,
         least(g.home_game_no, g.away_game_no) AS gos
       FROM prediction_log l LEFT JOIN games g USING (game_id)
       WHERE l.deployment_id = ? AND l.replay_id IS NOT DISTINCT FROM ? AND l.seq > ?
       ORDER BY l.seq`,
      [this.deploymentId, this.replayId, this.lastSeq],
    );
    for (const r of fresh) {
      const values = JSON.parse(r.features) as Record<string, number | null> | (number | null)[];
      const features = new Float64Array(this.featureNames.length);
      this.featureNames.forEach((name, j) => {
        const v = Array.isArray(values) ? values[j] : values[name];
        features[j] = typeof v === 'number' ? v : Number.NaN;
      });
      this.rows.push({
        seq: r.seq,
        gameId: r.game_id,
        gameDate: r.d,
        predictedAt: r.at,
        p: r.p,
        features,
        gameOfSeason: r.gos ?? Number.NaN,
      });
      this.lastSeq = Math.max(this.lastSeq, r.seq);
    }
  }

  /** The latest prediction of each game made at or before `at` (a correction replaces what it corrects), in game-date order. */
  visible(at: number): LoggedRow[] {
    const latest = new Map<string, LoggedRow>();
    for (const r of this.rows) if (r.predictedAt <= at) latest.set(r.gameId, r);
    return [...latest.values()].sort((a, b) => (a.gameDate < b.gameDate ? -1 : a.gameDate > b.gameDate ? 1 : a.seq - b.seq));
  }
}
