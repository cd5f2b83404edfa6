import type { Sql } from '../workspace/sql';
import { normalizeTeamAlias } from './teamNames';

interface CodeSpan {
  code: string;
  franchise: string;
  first: number | null;
  last: number | null;
}

interface AliasRow {
  franchise: string;
  kind: string;
  first: number | null;
  last: number | null;
}

const within = (season: number, first: number | null, last: number | null) =>
  (first === null || season >= first) && (last === null || season <= last);

/**
 * Resolves what books and files call a team (a full name from any era, an abbreviation, a Retrosheet
 * code) to the Retrosheet code that franchise used in a given season, so "FLA" in 2010 is FLO and in
 * 2016 is MIA. Loaded once per import from the teams/team_names tables.
 */
export class TeamResolver {
  private constructor(
    private readonly codes: Map<string, CodeSpan>,
    private readonly aliases: Map<string, AliasRow[]>,
  ) {}

  static async load(sql: Sql): Promise<TeamResolver> {
    const codes = new Map<string, CodeSpan>();
    for (const r of await sql.all<{ code: string; franchise: string; first_season: number | null; last_season: number | null }>(
      `SELECT code, franchise, first_season, last_season FROM teams`,
    )) {
      codes.set(r.code, { code: r.code, franchise: r.franchise, first: r.first_season, last: r.last_season });
    }
    const aliases = new Map<string, AliasRow[]>();
    for (const r of await sql.all<{
      alias_norm: string;
      franchise: string;
      kind: string;
      first_season: number | null;
      last_season: number | null;
    }>(`SELECT alias_norm, franchise, kind, first_season, last_season FROM team_names`)) {
      const list = aliases.get(r.alias_norm) ?? [];
      list.push({ franchise: r.franchise, kind: r.kind, first: r.first_season, last: r.last_season });
      aliases.set(r.alias_norm, list);
    }
    return new TeamResolver(codes, aliases);
  }

  /** True when `code` is a Retrosheet code in the teams table (exact, case-sensitive as Retrosheet writes it). */
  isCode(code: string): boolean {
    return this.codes.has(code);
  }

  /** The Retrosheet code for a name/abbreviation/code in `season`, or undefined when unknown or ambiguous. */
  resolve(name: string, season: number): string | undefined {
    const rows = this.aliases.get(normalizeTeamAlias(name));
    if (!rows?.length) return undefined;
    // Prefer aliases current in that season; a book may still use an old name, so fall back to any era.
    const current = rows.filter((r) => within(season, r.first, r.last));
    const franchises = [...new Set((current.length ? current : rows).map((r) => r.franchise))];
    if (franchises.length !== 1) return undefined;
    const spans = [...this.codes.values()].filter((c) => c.franchise === franchises[0]);
    const active = spans.filter((c) => within(season, c.first, c.last));
    return (active[0] ?? spans[spans.length - 1])?.code;
  }
}
