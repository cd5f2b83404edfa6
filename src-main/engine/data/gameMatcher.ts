import type { Sql } from '../workspace/sql';

export interface MatchableGame {
  gameId: string;
  date: string;
  home: string;
  away: string;
  gameNumber: number;
  homeScore: number | null;
  awayScore: number | null;
}

export interface UnmatchedRow {
  file: string;
  line: number;
  reason: string;
  date?: string;
  home?: string;
  away?: string;
}

/** How many unmatched rows an import reports in full; the rest are counted by reason. */
export const UNMATCHED_EXAMPLES = 25;

/** Collects the rows an importer could not attach to a game, so none is dropped silently. */
export class UnmatchedReport {
  count = 0;
  readonly byReason: Record<string, number> = {};
  readonly examples: UnmatchedRow[] = [];

  add(row: UnmatchedRow): void {
    this.count++;
    this.byReason[row.reason] = (this.byReason[row.reason] ?? 0) + 1;
    if (this.examples.length < UNMATCHED_EXAMPLES) this.examples.push(row);
  }

  /**
   * Adds rows counted by a set-based importer: counts per reason in order of first appearance, and the
   * first rows in file order, so the report reads as if the rows had been added one by one.
   */
  addCounted(counts: { reason: string; count: number }[], firstRows: UnmatchedRow[]): void {
    for (const { reason, count } of counts) {
      this.count += count;
      this.byReason[reason] = (this.byReason[reason] ?? 0) + count;
    }
    for (const row of firstRows) if (this.examples.length < UNMATCHED_EXAMPLES) this.examples.push(row);
  }

  toJSON() {
    return { count: this.count, byReason: this.byReason, examples: this.examples };
  }
}

/** Index of games by date, home code and game number: the key books and Retrosheet agree on. */
export class GameMatcher {
  private constructor(private readonly byKey: Map<string, MatchableGame[]>) {}

  static async load(sql: Sql, seasons?: number[]): Promise<GameMatcher> {
    const where = seasons?.length ? `WHERE season IN (${seasons.map(Number).join(',')})` : '';
    const rows = await sql.all<{
      game_id: string;
      d: string;
      home: string;
      away: string;
      game_number: number;
      home_score: number | null;
      away_score: number | null;
    }>(`SELECT game_id, strftime(date, '%Y-%m-%d') AS d, home, away, game_number, home_score, away_score FROM games ${where}`);
    const byKey = new Map<string, MatchableGame[]>();
    for (const r of rows) {
      const g: MatchableGame = {
        gameId: r.game_id,
        date: r.d,
        home: r.home,
        away: r.away,
        gameNumber: r.game_number,
        homeScore: r.home_score,
        awayScore: r.away_score,
      };
      const k = `${r.d}|${r.home}`;
      const list = byKey.get(k) ?? [];
      list.push(g);
      byKey.set(k, list);
    }
    return new GameMatcher(byKey);
  }

  /**
   * The game on `date` at `home`; with a game number when given (0 and 1 both mean "the first game"
   * when the book and the log disagree on whether a lone game counts as a doubleheader's first).
   */
  find(date: string, home: string, gameNumber?: number): { game?: MatchableGame; reason?: string } {
    const list = this.byKey.get(`${date}|${home}`) ?? [];
    if (!list.length) return { reason: 'no game on that date with that home team' };
    if (gameNumber === undefined) {
      return list.length === 1 ? { game: list[0] } : { reason: 'doubleheader: the row gives no game number' };
    }
    const exact = list.filter((g) => g.gameNumber === gameNumber);
    if (exact.length === 1) return { game: exact[0] };
    if (list.length === 1 && gameNumber <= 1 && list[0].gameNumber <= 1) return { game: list[0] };
    return { reason: `no game number ${gameNumber} on that date with that home team` };
  }
}
