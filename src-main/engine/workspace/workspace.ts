import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { BullpenError } from '../../shared/errors';
import { Sql } from './sql';
import { migrations, latestSchemaVersion } from './migrations';

/** A new workspace, and folders made for it, are the owner's alone: it holds their data and research. */
const OWNER_ONLY_FILE = 0o600;
const OWNER_ONLY_DIR = 0o700;

/** DuckDB's words when another process holds the file: `Could not set lock on file "…": Conflicting lock is held in /usr/bin/node (PID 123) …`. */
const LOCK_CONFLICT = /Could not set lock on file/;
const LOCK_HOLDER_PID = /\(PID (\d+)\)/;

/** DuckDB's open failure, said as the user's situation where it is one (another process has the workspace). */
function openError(path: string, err: unknown): BullpenError {
  const message = err instanceof Error ? err.message : String(err);
  if (LOCK_CONFLICT.test(message)) {
    const pidText = LOCK_HOLDER_PID.exec(message)?.[1];
    const pid = pidText === undefined ? null : Number(pidText);
    return new BullpenError(
      'conflict',
      'WORKSPACE_LOCKED',
      `workspace ${path} is open in another process${pid === null ? '' : ` (pid ${pid})`}; if it is \`bullpen serve\`, run the command through it or stop it; if it is the desktop app, close it`,
      { path, pid },
    );
  }
  return new BullpenError('input', 'WORKSPACE_OPEN_FAILED', `cannot open workspace ${path}: ${message}`, { path });
}

/** Owner-only modes on a workspace this process just created; DuckDB creates files with the umask's. */
function restrictNewWorkspace(path: string): void {
  for (const file of [path, `${path}.wal`]) {
    if (existsSync(file)) chmodSync(file, OWNER_ONLY_FILE);
  }
}

/**
 * The workspace: one DuckDB file, opened by the engine only. Opening it applies pending migrations
 * (each in its own transaction) and refuses a file written by a newer build.
 */
export class Workspace extends Sql {
  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    connection: DuckDBConnection,
  ) {
    super(connection);
  }

  static async open(path: string): Promise<Workspace> {
    const onDisk = path !== ':memory:';
    if (onDisk) mkdirSync(dirname(path), { recursive: true, mode: OWNER_ONLY_DIR });
    const isNew = onDisk && !existsSync(path);
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path);
    } catch (err) {
      throw openError(path, err);
    }
    if (isNew) restrictNewWorkspace(path);
    const ws = new Workspace(path, instance, await instance.connect());
    await ws.migrate();
    // The first migration wrote the WAL, which DuckDB creates with the umask's mode.
    if (isNew) restrictNewWorkspace(path);
    return ws;
  }

  /** A fresh connection for work that must not share a transaction with others (job bookkeeping). */
  async connect(): Promise<Sql> {
    return new Sql(await this.instance.connect());
  }

  async schemaVersion(): Promise<number> {
    const exists = await this.value<number>(`SELECT count(*) FROM information_schema.tables WHERE table_name = 'bullpen_meta'`);
    if (!exists) return 0;
    const v = await this.value<string>(`SELECT value FROM bullpen_meta WHERE key = 'schema_version'`);
    return v ? Number(v) : 0;
  }

  /** Runs fn on its own connection inside BEGIN/COMMIT; any throw rolls everything back. */
  async transaction<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    const conn = await this.instance.connect();
    const sql = new Sql(conn);
    await sql.run('BEGIN TRANSACTION');
    try {
      const out = await fn(sql);
      await sql.run('COMMIT');
      return out;
    } catch (err) {
      // A COMMIT that failed (a write conflict with another transaction) has already ended the transaction,
      // so this ROLLBACK fails too; the error worth reporting is the first one.
      await sql.run('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      conn.closeSync();
    }
  }

  private async migrate(): Promise<void> {
    const current = await this.schemaVersion();
    const latest = latestSchemaVersion();
    if (current > latest) {
      throw new BullpenError(
        'input',
        'WORKSPACE_TOO_NEW',
        `workspace ${this.path} has schema version ${current}, but this build of Bullpen knows only up to ${latest}: upgrade Bullpen, or open another workspace with --workspace`,
        { path: this.path, schemaVersion: current, latestSchemaVersion: latest },
      );
    }
    for (const m of migrations.filter((x) => x.version > current).sort((a, b) => a.version - b.version)) {
      await this.transaction(async (sql) => {
        await m.up(sql);
        await sql.run(`CREATE TABLE IF NOT EXISTS bullpen_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)`);
        await sql.run(`INSERT OR REPLACE INTO bullpen_meta VALUES ('schema_version', ?)`, [String(m.version)]);
      });
    }
  }

  async meta(key: string): Promise<string | undefined> {
    return this.value<string>(`SELECT value FROM bullpen_meta WHERE key = ?`, [key]);
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.run(`INSERT OR REPLACE INTO bullpen_meta VALUES (?, ?)`, [key, value]);
  }

  /** Row counts of every user table, for the Workspace screen and `workspace info`. */
  async tableCounts(): Promise<{ name: string; rows: number }[]> {
    const tables = await this.all<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const out: { name: string; rows: number }[] = [];
    for (const t of tables) {
      const rows = await this.value<number>(`SELECT count(*) FROM "${t.name.replaceAll('"', '""')}"`);
      out.push({ name: t.name, rows: Number(rows ?? 0) });
    }
    return out;
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
