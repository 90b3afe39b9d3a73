// The SQLite driver-adapter factory for the WebAssembly schema engine.
//
// Guards, each for a defect of @prisma/adapter-better-sqlite3 7.10 under the engine:
// - `executeRaw`/`queryRaw` take one statement, but the engine replays whole migration scripts
//   through them on the shadow database: fall back to `executeScript` for several statements.
// - The native engine keeps `_prisma_migrations.started_at/finished_at` as integer epoch
//   milliseconds on SQLite: the engine's connections use `timestampFormat: "unixepoch-ms"`.
// - The engine's `reset` only deletes rows: `resetMainDatabase` drops every table, view and
//   trigger, then VACUUMs.
// - Connections left open keep the file locked (the engine sets `locking_mode=EXCLUSIVE`):
//   every connection is tracked and `close()` ends them all.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type {
  ConnectionInfo,
  IsolationLevel,
  SqlDriverAdapter,
  SqlQuery,
  SqlResultSet,
  Transaction,
} from '@prisma/driver-adapter-utils';
import {
  ConnectionTracker,
  MIGRATIONS_TABLE,
  query,
  quoteIdentifier,
  refuseDestructiveStatement,
  rowsOf,
  type EngineAdapterFactory,
} from './adapter';

export interface SqliteFactoryOptions {
  /** The database file, or ":memory:". */
  file: string;
  /** A file to use as the shadow database instead of a fresh in-memory one. */
  shadowFile?: string;
  /** How long to wait for another process's lock, in milliseconds. */
  busyTimeoutMs?: number;
  /** Create the file's folder when connecting. */
  createDirectory?: boolean;
}

const EMPTY_RESULT: SqlResultSet = { columnNames: [], columnTypes: [], rows: [] };

function isMultipleStatementsError(error: unknown): boolean {
  return error instanceof Error && /more than one statement/i.test(error.message);
}

/** A transaction whose single-statement calls fall back to the connection's script runner. */
class GuardedSqliteTransaction implements Transaction {
  readonly provider = 'sqlite' as const;
  readonly adapterName: string;
  readonly options: Transaction['options'];

  constructor(
    private readonly inner: Transaction,
    private readonly runScript: (script: string) => Promise<void>,
    private readonly check: (sql: string) => void,
  ) {
    this.adapterName = inner.adapterName;
    this.options = inner.options;
  }

  async queryRaw(params: SqlQuery): Promise<SqlResultSet> {
    this.check(params.sql);
    try {
      return await this.inner.queryRaw(params);
    } catch (error) {
      if (params.args.length > 0 || !isMultipleStatementsError(error)) throw error;
      await this.runScript(params.sql);
      return EMPTY_RESULT;
    }
  }

  async executeRaw(params: SqlQuery): Promise<number> {
    this.check(params.sql);
    try {
      return await this.inner.executeRaw(params);
    } catch (error) {
      if (params.args.length > 0 || !isMultipleStatementsError(error)) throw error;
      await this.runScript(params.sql);
      return 0;
    }
  }

  commit() {
    return this.inner.commit();
  }

  rollback() {
    return this.inner.rollback();
  }
}

/**
 * One connection, opened on first use: the engine connects as soon as it starts, even for
 * commands that never touch the database (a diff between two schema files, say).
 */
class GuardedSqliteAdapter implements SqlDriverAdapter {
  readonly provider = 'sqlite' as const;
  readonly adapterName = '@prisma/adapter-better-sqlite3';
  #inner: Promise<SqlDriverAdapter> | undefined;
  #disposed = false;

  constructor(
    private readonly open: () => Promise<SqlDriverAdapter>,
    private readonly onDispose: (adapter: GuardedSqliteAdapter) => void,
    /** Throws for statements this connection must not run. */
    readonly check: (sql: string) => void,
  ) {}

  #connection(): Promise<SqlDriverAdapter> {
    if (this.#disposed) return Promise.reject(new Error('The SQLite connection is closed.'));
    this.#inner ??= this.open();
    return this.#inner;
  }

  async queryRaw(params: SqlQuery): Promise<SqlResultSet> {
    this.check(params.sql);
    const inner = await this.#connection();
    try {
      return await inner.queryRaw(params);
    } catch (error) {
      if (params.args.length > 0 || !isMultipleStatementsError(error)) throw error;
      await inner.executeScript(params.sql);
      return EMPTY_RESULT;
    }
  }

  async executeRaw(params: SqlQuery): Promise<number> {
    this.check(params.sql);
    const inner = await this.#connection();
    try {
      return await inner.executeRaw(params);
    } catch (error) {
      if (params.args.length > 0 || !isMultipleStatementsError(error)) throw error;
      await inner.executeScript(params.sql);
      return 0;
    }
  }

  async executeScript(script: string): Promise<void> {
    this.check(script);
    await (await this.#connection()).executeScript(script);
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    const transaction = await (await this.#connection()).startTransaction(isolationLevel);
    return new GuardedSqliteTransaction(transaction, (script) => this.executeScript(script), this.check);
  }

  getConnectionInfo(): ConnectionInfo {
    return { supportsRelationJoins: false };
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    this.onDispose(this);
    const inner = await this.#inner?.catch(() => undefined);
    await inner?.dispose();
  }
}

export class SqliteEngineAdapterFactory implements EngineAdapterFactory {
  readonly kind = 'sqlite' as const;
  readonly provider = 'sqlite' as const;
  readonly adapterName = '@prisma/adapter-better-sqlite3';
  readonly #options: SqliteFactoryOptions;
  readonly #connections = new ConnectionTracker();
  #main: GuardedSqliteAdapter | undefined;
  #resetting = false;

  constructor(options: SqliteFactoryOptions) {
    this.#options = options;
  }

  get file() {
    return this.#options.file;
  }

  #open(file: string): Promise<SqlDriverAdapter> {
    const factory = new PrismaBetterSqlite3(
      { url: file, timeout: this.#options.busyTimeoutMs ?? 30_000 },
      { timestampFormat: 'unixepoch-ms' },
    );
    return factory.connect();
  }

  #track(open: () => Promise<SqlDriverAdapter>, role: 'main' | 'shadow'): GuardedSqliteAdapter {
    const check =
      role === 'main'
        ? (sql: string) => {
            if (!this.#resetting) refuseDestructiveStatement(sql);
          }
        : () => undefined;
    const adapter = new GuardedSqliteAdapter(
      open,
      (closed) => {
        this.#connections.delete(closed);
        if (this.#main === closed) this.#main = undefined;
      },
      check,
    );
    this.#connections.add(adapter);
    return adapter;
  }

  async connect(): Promise<SqlDriverAdapter> {
    const { file } = this.#options;
    const adapter = this.#track(() => {
      if (file !== ':memory:' && this.#options.createDirectory) mkdirSync(path.dirname(file), { recursive: true });
      return this.#open(file);
    }, 'main');
    this.#main ??= adapter;
    return adapter;
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    return this.#track(() => this.#open(this.#options.shadowFile ?? ':memory:'), 'shadow');
  }

  /** The engine's own connection when it has one (it holds an exclusive lock), else a new one. */
  async #mainConnection(): Promise<SqlDriverAdapter> {
    return this.#main ?? (await this.connect());
  }

  async hasMigrationsTable(): Promise<boolean> {
    const connection = await this.#mainConnection();
    const result = await connection.queryRaw(
      query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?`, [MIGRATIONS_TABLE]),
    );
    return result.rows.length > 0;
  }

  async isEmpty(): Promise<boolean> {
    const connection = await this.#mainConnection();
    const result = await connection.queryRaw(
      query(`SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'`),
    );
    return result.rows.length === 0;
  }

  async resetMainDatabase(): Promise<void> {
    const connection = await this.#mainConnection();
    const objects = rowsOf(
      await connection.queryRaw(
        query(
          `SELECT type, name FROM sqlite_master
           WHERE type IN ('view', 'trigger', 'table') AND name NOT LIKE 'sqlite_%'`,
        ),
      ),
    );
    const foreignKeys = rowsOf(await connection.queryRaw(query('PRAGMA foreign_keys')))[0]?.foreign_keys;
    const order = ['trigger', 'view', 'table'];
    const statements = objects
      .sort((a, b) => order.indexOf(String(a.type)) - order.indexOf(String(b.type)))
      .map((object) => `DROP ${String(object.type).toUpperCase()} IF EXISTS ${quoteIdentifier(String(object.name))};`);
    this.#resetting = true;
    try {
      await connection.executeScript(
        ['PRAGMA foreign_keys = OFF;', ...statements, `PRAGMA foreign_keys = ${Number(foreignKeys) ? 'ON' : 'OFF'};`].join('\n'),
      );
      await connection.executeScript('VACUUM;');
    } finally {
      this.#resetting = false;
    }
  }

  async executeMainScript(script: string): Promise<void> {
    const connection = await this.#mainConnection();
    await connection.executeScript(script);
  }

  async close(): Promise<void> {
    this.#main = undefined;
    await this.#connections.disposeAll();
  }
}
