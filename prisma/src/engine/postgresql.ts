// The PostgreSQL driver-adapter factory for the WebAssembly schema engine.
//
// Guards, each for a defect of @prisma/adapter-pg 7.10 under the engine:
// - DATA LOSS: its `connectToShadowDb()` creates a shadow database but, given a connection
//   string, connects to the *main* database, which the engine then resets. Pools here are built
//   from parsed fields (never a connection string), the shadow database is our own temporary
//   database (checked by name before use, dropped afterwards), and the main connection refuses
//   DROP SCHEMA / DROP DATABASE unless we are resetting it on purpose.
// - Its `executeScript` splits on ";" (breaking `$$` bodies, and not atomic): scripts go to the
//   server whole, as one simple query, as the native engine sends them.
// - It cannot read the catalogue type "char" (OID 18): such columns are read as text.
// - `?schema=x` is not applied: every connection sets `search_path`, and the schema is created
//   when missing.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { DriverAdapterError } from '@prisma/driver-adapter-utils';
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
  quoteIdentifier,
  refuseDestructiveStatement,
  type EngineAdapterFactory,
} from './adapter';

const CHAR_OID = 18;
const TEXT_OID = 25;
const SHADOW_PREFIX = 'prisma_shadow_';

/** Connection settings parsed from a postgresql:// URL, without the URL itself. */
export interface PostgresFields {
  host: string;
  port: number;
  user: string | undefined;
  password: string | undefined;
  database: string;
  ssl: pg.ClientConfig['ssl'];
}

export function parsePostgresUrl(url: string): PostgresFields {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('The PostgreSQL URL is not a valid URL');
  }
  if (!/^postgres(ql)?:$/.test(parsed.protocol)) {
    throw new Error(`Expected a postgresql:// URL, got ${parsed.protocol}//`);
  }
  const params = parsed.searchParams;
  const socketHost = params.get('host');
  const hostname = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const sslmode = params.get('sslmode');
  let ssl: pg.ClientConfig['ssl'];
  if (sslmode === 'require' || sslmode === 'prefer' || sslmode === 'no-verify') ssl = { rejectUnauthorized: false };
  else if (sslmode === 'verify-ca' || sslmode === 'verify-full') ssl = true;
  return {
    host: socketHost || hostname || 'localhost',
    port: parsed.port ? Number(parsed.port) : 5432,
    user: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres',
    ssl,
  };
}

type QueryResultLike = { fields?: { dataTypeID: number }[] };

function readCharAsText<T>(result: T): T {
  const results = Array.isArray(result) ? result : [result];
  for (const each of results as QueryResultLike[]) {
    for (const field of each?.fields ?? []) {
      if (field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
    }
  }
  return result;
}

/** A pg client that reports catalogue "char" columns as text, which the adapter can read. */
class CatalogueSafeClient extends pg.Client {
  override query(...args: any[]): any {
    const callbackAt = args.findIndex((arg) => typeof arg === 'function');
    if (callbackAt >= 0) {
      const callback = args[callbackAt] as (error: Error | null, result: unknown) => void;
      args[callbackAt] = (error: Error | null, result: unknown) => callback(error, error ? result : readCharAsText(result));
    }
    const returned = (super.query as (...a: any[]) => any)(...args);
    if (returned && typeof returned.then === 'function') return returned.then(readCharAsText);
    return returned;
  }
}

function poolFor(fields: PostgresFields, database: string, schema: string): pg.Pool {
  return new pg.Pool({
    Client: CatalogueSafeClient,
    host: fields.host,
    port: fields.port,
    user: fields.user,
    password: fields.password,
    database,
    ssl: fields.ssl,
    // One connection, as the native engine uses: the engine takes a session-level advisory lock
    // on it, which a second pooled connection would then wait for.
    max: 1,
    connectionTimeoutMillis: 60_000,
    idleTimeoutMillis: 0,
    application_name: 'sp-schema-engine',
    options: `-c search_path=${quoteIdentifier(schema)}`,
  });
}

async function withClient<T>(fields: PostgresFields, database: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    host: fields.host,
    port: fields.port,
    user: fields.user,
    password: fields.password,
    database,
    ssl: fields.ssl,
    application_name: 'sp-schema-engine',
  });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** A server error as the engine expects it from an adapter, so that its message reaches the user. */
function toDriverAdapterError(error: unknown): unknown {
  const e = error as Partial<pg.DatabaseError>;
  if (error instanceof Error && typeof e.code === 'string' && typeof e.severity === 'string') {
    return new DriverAdapterError({
      kind: 'postgres',
      code: e.code,
      severity: e.severity,
      message: error.message,
      detail: e.detail,
      column: e.column,
      hint: e.hint,
    });
  }
  return error;
}

class GuardedPgTransaction implements Transaction {
  readonly provider = 'postgres' as const;
  readonly adapterName: string;
  readonly options: Transaction['options'];

  constructor(
    private readonly inner: Transaction,
    private readonly check: (sql: string) => void,
  ) {
    this.adapterName = inner.adapterName;
    this.options = inner.options;
  }

  queryRaw(params: SqlQuery): Promise<SqlResultSet> {
    this.check(params.sql);
    return this.inner.queryRaw(params);
  }

  executeRaw(params: SqlQuery): Promise<number> {
    this.check(params.sql);
    return this.inner.executeRaw(params);
  }

  commit() {
    return this.inner.commit();
  }

  rollback() {
    return this.inner.rollback();
  }
}

/**
 * One pooled connection (opened on first use, as the engine connects even for commands that never
 * touch the database), with the schema created first.
 */
class GuardedPgAdapter implements SqlDriverAdapter {
  readonly provider = 'postgres' as const;
  readonly adapterName: string;
  #disposed = false;
  #ready: Promise<void> | undefined;

  constructor(
    private readonly inner: SqlDriverAdapter,
    private readonly pool: pg.Pool,
    private readonly schema: string,
    private readonly role: 'main' | 'shadow',
    private readonly resetting: () => boolean,
    private readonly onDispose: (adapter: GuardedPgAdapter) => Promise<void>,
  ) {
    this.adapterName = inner.adapterName;
  }

  /** `?schema=` is not applied by the adapter: the pool sets search_path; the schema must exist. */
  #prepare(): Promise<void> {
    if (this.#disposed) return Promise.reject(new Error('The PostgreSQL connection is closed.'));
    this.#ready ??= this.pool
      .query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(this.schema)}`)
      .then(() => undefined)
      .catch((error: unknown) => {
        this.#ready = undefined;
        throw toDriverAdapterError(error);
      });
    return this.#ready;
  }

  /** The main database is never dropped or emptied by the engine; only by our own reset. */
  check = (sql: string) => {
    if (this.role === 'main' && !this.resetting()) refuseDestructiveStatement(sql);
  };

  async queryRaw(params: SqlQuery): Promise<SqlResultSet> {
    this.check(params.sql);
    await this.#prepare();
    return this.inner.queryRaw(params);
  }

  async executeRaw(params: SqlQuery): Promise<number> {
    this.check(params.sql);
    await this.#prepare();
    return this.inner.executeRaw(params);
  }

  /** The whole script as one simple query: atomic, and `$$` bodies stay intact. */
  async executeScript(script: string): Promise<void> {
    this.check(script);
    await this.#prepare();
    try {
      await this.pool.query(script);
    } catch (error) {
      throw toDriverAdapterError(error);
    }
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    await this.#prepare();
    return new GuardedPgTransaction(await this.inner.startTransaction(isolationLevel), this.check);
  }

  getConnectionInfo(): ConnectionInfo {
    return this.inner.getConnectionInfo?.() ?? { schemaName: this.schema, supportsRelationJoins: true };
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await this.inner.dispose();
    await this.pool.end();
    await this.onDispose(this);
  }
}

export interface PostgresFactoryOptions {
  /** postgresql:// URL of the main database (any ?schema= is ignored: pass `schema`). */
  url: string;
  /** The schema (namespace) the engine works in. */
  schema: string;
  /** Use this database on the URL's server instead of the URL's own. */
  database?: string;
  /**
   * A database the engine may wipe and use as its shadow. Without it, a temporary database is
   * created for each use and dropped afterwards.
   */
  shadowDatabaseUrl?: string;
}

export class PostgresEngineAdapterFactory implements EngineAdapterFactory {
  readonly kind = 'postgresql' as const;
  readonly provider = 'postgres' as const;
  readonly adapterName = '@prisma/adapter-pg';
  readonly fields: PostgresFields;
  /** The URL given (its database may be overridden by `database`). */
  readonly url: string;
  readonly schema: string;
  readonly #shadowFields: PostgresFields | undefined;
  readonly #connections = new ConnectionTracker();
  readonly #temporaryDatabases = new Set<string>();
  #resetting = false;

  constructor(options: PostgresFactoryOptions) {
    this.url = options.url;
    const fields = parsePostgresUrl(options.url);
    this.fields = options.database ? { ...fields, database: options.database } : fields;
    this.schema = options.schema;
    this.#shadowFields = options.shadowDatabaseUrl ? parsePostgresUrl(options.shadowDatabaseUrl) : undefined;
    if (this.#shadowFields && sameDatabase(this.#shadowFields, this.fields)) {
      throw new Error('The shadow database must not be the main database.');
    }
  }

  async #adapter(database: string, role: 'main' | 'shadow', onDispose: () => Promise<void>): Promise<SqlDriverAdapter> {
    const pool = poolFor(role === 'shadow' && this.#shadowFields ? this.#shadowFields : this.fields, database, this.schema);
    pool.on('error', () => {
      // An idle client lost its connection; the next query reports it.
    });
    try {
      const inner = await new PrismaPg(pool, { schema: this.schema }).connect();
      const adapter = new GuardedPgAdapter(inner, pool, this.schema, role, () => this.#resetting, async (closed) => {
        this.#connections.delete(closed);
        await onDispose();
      });
      this.#connections.add(adapter);
      return adapter;
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
  }

  connect(): Promise<SqlDriverAdapter> {
    return this.#adapter(this.fields.database, 'main', async () => undefined);
  }

  /**
   * Creates an empty database on the same server (for a shadow or scratch database); `drop()`
   * removes it, and so does `close()` if it is still there.
   */
  async createTemporaryDatabase(): Promise<{ name: string; drop: () => Promise<void> }> {
    const name = `${SHADOW_PREFIX}${randomBytes(8).toString('hex')}`;
    await withClient(this.fields, this.fields.database, (client) => client.query(`CREATE DATABASE ${quoteIdentifier(name)}`));
    this.#temporaryDatabases.add(name);
    return { name, drop: () => this.#dropTemporaryDatabase(name) };
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    if (this.#shadowFields) {
      return this.#adapter(this.#shadowFields.database, 'shadow', async () => undefined);
    }
    const { name } = await this.createTemporaryDatabase();
    try {
      const adapter = await this.#adapter(name, 'shadow', () => this.#dropTemporaryDatabase(name));
      // Never hand the engine a connection to anything but the database just created.
      const current = await adapter.queryRaw({ sql: 'SELECT current_database() AS name', args: [], argTypes: [] });
      if (current.rows[0]?.[0] !== name) {
        await adapter.dispose();
        throw new Error(`The shadow connection reached "${String(current.rows[0]?.[0])}" instead of "${name}"; stopped.`);
      }
      return adapter;
    } catch (error) {
      await this.#dropTemporaryDatabase(name).catch(() => undefined);
      throw error;
    }
  }

  async #dropTemporaryDatabase(name: string): Promise<void> {
    if (!this.#temporaryDatabases.has(name) || !name.startsWith(SHADOW_PREFIX)) return;
    await withClient(this.fields, this.fields.database, async (client) => {
      try {
        await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
      } catch {
        await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)}`);
      }
    });
    this.#temporaryDatabases.delete(name);
  }

  async #withMain<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
    return withClient(this.fields, this.fields.database, use);
  }

  async hasMigrationsTable(): Promise<boolean> {
    return this.#withMain(async (client) => {
      const result = await client.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [
        `${quoteIdentifier(this.schema)}.${quoteIdentifier(MIGRATIONS_TABLE)}`,
      ]);
      return Boolean(result.rows[0]?.present);
    });
  }

  async isEmpty(): Promise<boolean> {
    return this.#withMain(async (client) => {
      const result = await client.query(
        `SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = $1 AND c.relkind IN ('r', 'v', 'm', 'p', 'f'))
              + (SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                 WHERE n.nspname = $1 AND t.typtype = 'e') AS count`,
        [this.schema],
      );
      return Number(result.rows[0]?.count ?? 0) === 0;
    });
  }

  async resetMainDatabase(): Promise<void> {
    this.#resetting = true;
    try {
      const schema = quoteIdentifier(this.schema);
      await this.#withMain((client) => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema};`));
    } finally {
      this.#resetting = false;
    }
  }

  async executeMainScript(script: string): Promise<void> {
    const pool = poolFor(this.fields, this.fields.database, this.schema);
    try {
      await pool.query(script);
    } finally {
      await pool.end();
    }
  }

  async close(): Promise<void> {
    let failure: unknown;
    await this.#connections.disposeAll().catch((error: unknown) => (failure = error));
    for (const name of [...this.#temporaryDatabases]) {
      await this.#dropTemporaryDatabase(name).catch((error: unknown) => (failure ??= error));
    }
    if (failure) throw failure;
  }
}

function sameDatabase(a: PostgresFields, b: PostgresFields) {
  return a.host === b.host && a.port === b.port && a.database === b.database;
}

/** Creates the database of a postgresql:// URL (connecting to the server's `postgres` database). */
export async function createPostgresDatabase(url: string): Promise<void> {
  const fields = parsePostgresUrl(url);
  await withClient(fields, 'postgres', (client) => client.query(`CREATE DATABASE ${quoteIdentifier(fields.database)}`));
}

/** Connects to the database of a postgresql:// URL and disconnects. */
export async function probePostgres(url: string): Promise<void> {
  await withClient(parsePostgresUrl(url), parsePostgresUrl(url).database, (client) => client.query('SELECT 1'));
}
