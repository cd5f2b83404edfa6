import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { BullpenError, inputError } from '../../../shared/errors';
import { Sql } from '../../workspace/sql';
import { sandboxLimits, type SandboxLimits } from './sandboxLimits';

/** Point-in-time views over games, recreated from the workspace's own definitions (migrations) over the copies. */
const GAME_VIEWS = ['team_games', 'team_form_pre', 'sp_form_pre', 'park_factors_pre'] as const;

/**
 * What to copy in for computations that read `dependencies` (source relations, as declared or inferred).
 * Games and teams always come (the result is one row per game); the odds table (650k rows for one real
 * season) only when a computation reads it directly, since market_pre, the odds view every built-in
 * market feature reads, is small and depends on nothing the leakage guard changes: it comes as a table.
 */
export interface SandboxContents {
  odds: boolean;
}

export function sandboxContentsFor(dependencies: Iterable<string>): SandboxContents {
  return { odds: [...dependencies].includes('odds') };
}

const quoteLiteral = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** DuckDB's messages for the limits, mapped to codes a user can act on. */
function limitError(err: unknown, feature: string, limits: SandboxLimits, timedOut: boolean): BullpenError | undefined {
  const message = (err as Error).message ?? '';
  if (timedOut || /INTERRUPT/i.test(message)) {
    return inputError(
      'FEATURE_TIMEOUT',
      `feature ${feature}: its computation ran longer than ${limits.timeoutMs / 1000} s and was stopped; simplify it or raise BULLPEN_FEATURE_SQL_TIMEOUT_MS`,
      { feature, timeoutMs: limits.timeoutMs },
    );
  }
  if (/Out of Memory/i.test(message)) {
    return inputError(
      'FEATURE_MEMORY',
      `feature ${feature}: its computation needed more than ${limits.memoryLimit} of memory and was stopped; simplify it or raise BULLPEN_FEATURE_SQL_MEMORY`,
      { feature, memoryLimit: limits.memoryLimit },
    );
  }
  return undefined;
}

/** The first line of DuckDB's message, bounded: enough to fix a query, never a file's contents at length. */
const shortMessage = (err: unknown) => ((err as Error).message ?? String(err)).split('\n')[0].slice(0, 300);

/**
 * Where user-written feature SQL runs: a separate in-memory DuckDB instance holding copies of the
 * relations a feature may read. External access (files, network, ATTACH), extension installs and loads
 * are off and the configuration is locked before any user SQL runs, with a memory limit and a per-query
 * time limit. Whatever a computation does, it can only touch these copies, which are discarded on close;
 * the workspace is never reachable from here.
 */
export class FeatureSandbox {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    /** The folder the sandbox may read and write: where copies come in and results go out. Ours alone (0700). */
    readonly exchangeDir: string,
    readonly limits: SandboxLimits,
  ) {
    this.sql = new Sql(connection);
  }

  /** Trusted statements only (the engine's own SQL); user SQL goes through runComputation. */
  readonly sql: Sql;

  /** Copies the readable relations of `source` (a workspace connection, inside its transaction if any) into a new sandbox. */
  static async fromWorkspace(
    source: Sql,
    contents: SandboxContents = { odds: true },
    limits: SandboxLimits = sandboxLimits(),
  ): Promise<FeatureSandbox> {
    const exchangeDir = mkdtempSync(join(tmpdir(), 'bullpen-sandbox-'));
    let instance: DuckDBInstance | undefined;
    // Each copy travels as a Parquet file through the one folder the sandbox may read.
    const copies: Record<string, string> = {
      games: 'SELECT * FROM main.games',
      teams: 'SELECT * FROM main.teams',
      ...(contents.odds ? { odds: 'SELECT * FROM main.odds' } : { market_pre: 'SELECT * FROM main.market_pre' }),
    };
    try {
      for (const [name, select] of Object.entries(copies)) {
        await source.run(`COPY (${select}) TO ${quoteLiteral(join(exchangeDir, `${name}.parquet`))} (FORMAT parquet)`);
      }
      const viewNames = contents.odds ? [...GAME_VIEWS, 'market_pre'] : [...GAME_VIEWS];
      const views = await source.all<{ name: string; sql: string }>(
        `SELECT view_name AS name, sql FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal AND view_name IN (${viewNames.map(quoteLiteral).join(', ')})`,
      );
      instance = await DuckDBInstance.create(':memory:', {
        autoinstall_known_extensions: 'false',
        autoload_known_extensions: 'false',
        allow_community_extensions: 'false',
        allow_unsigned_extensions: 'false',
        memory_limit: limits.memoryLimit,
        max_temp_directory_size: limits.memoryLimit,
        temp_directory: join(exchangeDir, 'spill'),
        threads: String(limits.threads),
      });
      const connection = await instance.connect();
      // allowed_directories can only be set through SQL; the lock then makes all three final for this instance.
      await connection.run(`SET allowed_directories = [${quoteLiteral(`${exchangeDir}/`)}]`);
      await connection.run(`SET enable_external_access = false`);
      await connection.run(`SET lock_configuration = true`);
      const sandbox = new FeatureSandbox(instance, connection, exchangeDir, limits);
      for (const name of Object.keys(copies)) {
        const file = join(exchangeDir, `${name}.parquet`);
        await sandbox.sql.run(`CREATE TABLE main.${name} AS SELECT * FROM read_parquet(${quoteLiteral(file)})`);
        rmSync(file);
      }
      for (const name of viewNames) {
        const view = views.find((v) => v.name === name);
        if (!view)
          throw new BullpenError(
            'internal',
            'SANDBOX_VIEW_MISSING',
            `the workspace has no view ${name} to recreate in the feature sandbox`,
            { view: name },
          );
        await sandbox.sql.run(view.sql);
      }
      return sandbox;
    } catch (err) {
      instance?.closeSync();
      rmSync(exchangeDir, { recursive: true, force: true });
      throw err;
    }
  }

  /**
   * Runs one feature's computation into TEMP table `table` (game_id VARCHAR, value DOUBLE). The
   * computation must be exactly one SELECT by DuckDB's own parser; the wrapper that casts its columns is
   * parsed again and must still be one statement, so no text in a computation can end it and start another.
   */
  async runComputation(feature: string, version: number, computation: string, table: string): Promise<void> {
    const label = `feature ${feature}${version ? ` v${version}` : ''}`;
    await this.assertSingleSelect(label, computation);
    const wrapped = `CREATE OR REPLACE TEMP TABLE "${table.replaceAll('"', '""')}" AS SELECT CAST(game_id AS VARCHAR) AS game_id, CAST(value AS DOUBLE) AS value FROM (\n${computation}\n) q`;
    const statements = await this.connection.extractStatements(wrapped).catch(() => undefined);
    if (!statements || statements.count !== 1) {
      throw inputError('FEATURE_SQL_NOT_ONE_STATEMENT', `${label}: the computation must be one SELECT that can stand inside a subquery`, {
        feature,
        version,
      });
    }
    await this.withTimeLimit(feature, async () => {
      try {
        await this.connection.run(wrapped);
      } catch (err) {
        throw err instanceof BullpenError
          ? err
          : new BullpenError('input', 'FEATURE_COMPUTATION_FAILED', `${label}: its computation failed: ${shortMessage(err)}`, {
              feature,
              version,
            });
      }
    });
  }

  /** Refuses anything but exactly one SELECT (CTEs and FROM-first included), decided by DuckDB's own parser. */
  private async assertSingleSelect(label: string, computation: string): Promise<void> {
    let statements;
    try {
      statements = await this.connection.extractStatements(computation);
    } catch (err) {
      throw inputError(
        'FEATURE_SQL_INVALID',
        `${label}: the computation does not parse: ${shortMessage(err).replace(/^Failed to extract statements: /, '')}`,
        { label },
      );
    }
    if (statements.count !== 1) {
      throw inputError(
        'FEATURE_SQL_NOT_ONE_STATEMENT',
        `${label}: the computation holds ${statements.count} statements; it must be exactly one SELECT returning game_id and value`,
        { label, statements: statements.count },
      );
    }
    // DuckDB's serializer accepts only SELECT nodes; it parses without binding, so no second planning of the query.
    const serialized = await this.sql.value<string>(`SELECT json_serialize_sql(?::VARCHAR)`, [computation]);
    const parsed = JSON.parse(serialized ?? '{}') as {
      error?: boolean;
      error_message?: string;
      statements?: { node?: { type?: string } }[];
    };
    if (parsed.error || parsed.statements?.[0]?.node?.type !== 'SELECT_NODE') {
      throw inputError(
        'FEATURE_SQL_NOT_SELECT',
        `${label}: the computation must be a SELECT returning game_id and value${parsed.error_message && !/Only SELECT/.test(parsed.error_message) ? ` (${parsed.error_message.slice(0, 200)})` : ''}`,
        { label },
      );
    }
  }

  /** Interrupts the running query when the time limit passes; a memory-limit failure is named too. */
  private async withTimeLimit(feature: string, fn: () => Promise<void>): Promise<void> {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      this.connection.interrupt();
    }, this.limits.timeoutMs);
    try {
      await fn();
    } catch (err) {
      throw limitError(err, feature, this.limits, timedOut) ?? err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Writes a sandbox table to a Parquet file the workspace can read; the file lives until close(). */
  async exportTable(table: string): Promise<string> {
    const file = join(this.exchangeDir, `${table}.parquet`);
    await this.sql.run(`COPY temp."${table.replaceAll('"', '""')}" TO ${quoteLiteral(file)} (FORMAT parquet)`);
    return file;
  }

  close(): void {
    try {
      this.connection.closeSync();
      this.instance.closeSync();
    } finally {
      rmSync(this.exchangeDir, { recursive: true, force: true });
    }
  }
}

/** Opens a sandbox over the workspace holding what `features` read, runs fn, and always discards the sandbox. */
export async function withFeatureSandbox<T>(
  source: Sql,
  features: readonly { dependencies: readonly string[] }[],
  fn: (sandbox: FeatureSandbox) => Promise<T>,
): Promise<T> {
  const sandbox = await FeatureSandbox.fromWorkspace(source, sandboxContentsFor(features.flatMap((f) => f.dependencies)));
  try {
    return await fn(sandbox);
  } finally {
    sandbox.close();
  }
}
