// One WebAssembly schema engine bound to one database, with the engine's defects guarded.
import {
  bindMigrationAwareSqlAdapterFactory,
  ColumnTypeEnum,
  type ErrorCapturingSqlMigrationAwareDriverAdapterFactory,
  type ErrorRegistry,
  type SqlDriverAdapter,
} from '@prisma/driver-adapter-utils';
import type {
  ApplyMigrationsInput,
  ApplyMigrationsOutput,
  CreateMigrationInput,
  CreateMigrationOutput,
  DbExecuteParams,
  DevDiagnosticInput,
  DevDiagnosticOutput,
  DiagnoseMigrationHistoryInput,
  DiagnoseMigrationHistoryOutput,
  DiffParams,
  DiffResult,
  EvaluateDataLossInput,
  EvaluateDataLossOutput,
  IntrospectParams,
  IntrospectResult,
  IntrospectSqlParams,
  IntrospectSqlResult,
  MarkMigrationAppliedInput,
  MarkMigrationRolledBackInput,
  MigrationList,
  SchemaPushInput,
  SchemaPushOutput,
} from '@prisma/schema-engine-wasm';
import type { DatabaseKind } from '../targets';
import type { EngineAdapterFactory } from './adapter';
import { PostgresEngineAdapterFactory } from './postgresql';
import { SqliteEngineAdapterFactory } from './sqlite';
import { engineCommand, loadSchemaEngineModule, releaseEngineTimers, takePanicMessage, type WasmSchemaEngine } from './wasm';

/** Where the engine works. `none` is for commands that need no database (some diffs). */
export type EngineLocation =
  | { kind: 'sqlite'; file: string; shadowFile?: string }
  | { kind: 'postgresql'; url: string; schema: string; shadowDatabaseUrl?: string; database?: string }
  | { kind: 'none'; provider: DatabaseKind };

/** An engine failure: `code` is Prisma's error code (P3005, ...) when the engine gave one. */
export class EngineError extends Error {
  override name = 'EngineError';
  readonly code: string | undefined;
  readonly isPanic: boolean;

  constructor(message: string, options: { code?: string; isPanic?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = options.code;
    this.isPanic = options.isPanic ?? false;
  }
}

const NO_FILTERS = { externalTables: [], externalEnums: [] };

// The SQLite engine's own DDL for its migrations table (captured from the engine).
const SQLITE_MIGRATIONS_TABLE = `CREATE TABLE "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

const NEEDS_SHADOW_FACTORY = /shadow DB must be provided through an external factory/i;

/** A factory for commands without a database: no connection until one is really needed. */
class NoDatabaseFactory implements EngineAdapterFactory {
  readonly adapterName = 'none';
  readonly provider: 'sqlite' | 'postgres';

  constructor(readonly kind: DatabaseKind) {
    this.provider = kind === 'sqlite' ? 'sqlite' : 'postgres';
  }

  #fail(): never {
    throw new Error(
      this.kind === 'postgresql'
        ? 'This command needs a PostgreSQL server: set DATABASE_URL (or the subgraph\'s own variable) to a postgresql:// URL.'
        : 'This command needs a database URL.',
    );
  }

  async connect(): Promise<SqlDriverAdapter> {
    const fail = () => this.#fail();
    return {
      provider: this.provider,
      adapterName: this.adapterName,
      // The PostgreSQL engine asks the server's version before any command, even a diff between
      // two schema files; answer that one question without a server.
      queryRaw: async (params) => {
        if (this.kind !== 'postgresql' || !/\bversion\(\).*server_version_num/s.test(params.sql)) fail();
        return {
          columnNames: ['exists', 'version', 'numeric_version'],
          columnTypes: [ColumnTypeEnum.Boolean, ColumnTypeEnum.Text, ColumnTypeEnum.Int32],
          rows: [[true, 'PostgreSQL 15.0 (no server: offline schema engine)', 150000]],
        };
      },
      executeRaw: async () => fail(),
      executeScript: async () => fail(),
      startTransaction: async () => fail(),
      getConnectionInfo: () => ({ schemaName: 'public', supportsRelationJoins: false }),
      dispose: async () => undefined,
    };
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    this.#fail();
  }

  hasMigrationsTable(): Promise<boolean> {
    this.#fail();
  }

  isEmpty(): Promise<boolean> {
    this.#fail();
  }

  resetMainDatabase(): Promise<void> {
    this.#fail();
  }

  executeMainScript(): Promise<void> {
    this.#fail();
  }

  async close(): Promise<void> {}
}

export function createEngineAdapterFactory(
  location: EngineLocation,
  options: { createDirectory?: boolean } = {},
): EngineAdapterFactory {
  switch (location.kind) {
    case 'sqlite':
      return new SqliteEngineAdapterFactory({
        file: location.file,
        shadowFile: location.shadowFile,
        createDirectory: options.createDirectory,
      });
    case 'postgresql':
      return new PostgresEngineAdapterFactory({
        url: location.url,
        schema: location.schema,
        shadowDatabaseUrl: location.shadowDatabaseUrl,
        database: location.database,
      });
    case 'none':
      return location.provider === 'sqlite'
        ? new SqliteEngineAdapterFactory({ file: ':memory:' })
        : new NoDatabaseFactory(location.provider);
  }
}

export interface EngineSessionOptions {
  location: EngineLocation;
  /** The Prisma schema files, as [path, content]. */
  datamodels?: [string, string][];
  /** Receives the engine's log lines (JSON, as the native engine writes them to stderr). */
  log?: (line: string) => void;
  /** Create the SQLite file's folder if missing. */
  createDirectory?: boolean;
}

function emptyListLike(list: MigrationList): MigrationList {
  return { ...list, migrationDirectories: [] };
}

export class EngineSession {
  readonly kind: DatabaseKind;
  #closed = false;

  private constructor(
    private readonly engine: WasmSchemaEngine,
    readonly factory: EngineAdapterFactory,
    private readonly errors: ErrorRegistry,
    private readonly datamodels: [string, string][] | undefined,
  ) {
    this.kind = factory.kind;
  }

  static async open(options: EngineSessionOptions): Promise<EngineSession> {
    const glue = await loadSchemaEngineModule();
    const factory = createEngineAdapterFactory(options.location, { createDirectory: options.createDirectory });
    const bound: ErrorCapturingSqlMigrationAwareDriverAdapterFactory = bindMigrationAwareSqlAdapterFactory(factory);
    const datamodels = options.datamodels && options.datamodels.length > 0 ? options.datamodels : undefined;
    try {
      const engine = await engineCommand(() => glue.SchemaEngine.new({ datamodels }, options.log ?? (() => undefined), bound));
      return new EngineSession(engine, factory, bound.errorRegistry, datamodels);
    } catch (error) {
      await factory.close().catch(() => undefined);
      throw toEngineError(error, bound.errorRegistry);
    }
  }

  /** Runs one engine method, turning whatever it throws into an EngineError. */
  async #run<T>(call: (engine: WasmSchemaEngine) => Promise<T>): Promise<T> {
    if (this.#closed) throw new EngineError('The schema engine session is closed.');
    try {
      return await engineCommand(() => call(this.engine));
    } catch (error) {
      throw toEngineError(error, this.errors);
    }
  }

  /**
   * Runs a command that compares the migrations with a schema. The WebAssembly engine cannot
   * replay migrations on a shadow database for these commands ("shadow DB must be provided
   * through an external factory"); it can once devDiagnostic has run, provided the main
   * database is up to date with the migrations. When it is behind, replay the migrations on a
   * scratch database (in memory, or a temporary PostgreSQL database) and ask there.
   */
  async #fromMigrations<T>(
    migrationsList: MigrationList,
    call: (session: EngineSession) => Promise<T>,
    options: { scratch: boolean },
  ): Promise<T> {
    const needsShadow = (error: unknown) => error instanceof EngineError && NEEDS_SHADOW_FACTORY.test(error.message);
    try {
      return await call(this);
    } catch (error) {
      if (!needsShadow(error)) throw error;
    }
    try {
      await this.devDiagnostic({ migrationsList, filters: NO_FILTERS });
      return await call(this);
    } catch (error) {
      if (!needsShadow(error)) throw error;
      if (!options.scratch) {
        throw new EngineError(
          'The database is behind the migrations folder: apply the pending migrations first (prisma migrate deploy).',
          { cause: error },
        );
      }
    }
    return this.#onScratch(async (scratch) => {
      await scratch.applyMigrations({ migrationsList, filters: NO_FILTERS });
      await scratch.devDiagnostic({ migrationsList, filters: NO_FILTERS });
      return call(scratch);
    });
  }

  async #onScratch<T>(work: (scratch: EngineSession) => Promise<T>): Promise<T> {
    if (this.factory instanceof PostgresEngineAdapterFactory) {
      const factory = this.factory;
      const temporary = await factory.createTemporaryDatabase();
      try {
        const scratch = await EngineSession.open({
          location: { kind: 'postgresql', url: factory.url, schema: factory.schema, database: temporary.name },
          datamodels: this.datamodels,
        });
        try {
          return await work(scratch);
        } finally {
          await scratch.close();
        }
      } finally {
        await temporary.drop();
      }
    }
    const scratch = await EngineSession.open({ location: { kind: 'none', provider: this.kind }, datamodels: this.datamodels });
    try {
      return await work(scratch);
    } finally {
      await scratch.close();
    }
  }

  /**
   * The SQLite engine fails with P1014 when `_prisma_migrations` is missing, where the native
   * engine creates it. Create it the way the engine does (an empty migration list on an empty
   * database; the engine's DDL on a non-empty one, as when baselining).
   */
  async #ensureMigrationsTable(list: MigrationList): Promise<void> {
    if (this.kind !== 'sqlite' || (await this.factory.hasMigrationsTable())) return;
    if (await this.factory.isEmpty()) {
      await this.#run((engine) => engine.applyMigrations({ migrationsList: emptyListLike(list), filters: NO_FILTERS }));
    } else {
      await this.factory.executeMainScript(`${SQLITE_MIGRATIONS_TABLE};`);
    }
  }

  applyMigrations(input: ApplyMigrationsInput): Promise<ApplyMigrationsOutput> {
    return this.#run((engine) => engine.applyMigrations(input));
  }

  async diagnoseMigrationHistory(input: DiagnoseMigrationHistoryInput): Promise<DiagnoseMigrationHistoryOutput> {
    if (this.kind === 'sqlite' && !(await this.factory.hasMigrationsTable())) {
      // What the native engine reports, without writing to the database.
      const names = input.migrationsList.migrationDirectories.map((directory) => directory.path);
      return {
        editedMigrationNames: [],
        failedMigrationNames: [],
        hasMigrationsTable: false,
        history: names.length > 0 ? { diagnostic: 'databaseIsBehind', unappliedMigrationNames: names } : null,
      };
    }
    return this.#run((engine) => engine.diagnoseMigrationHistory(input));
  }

  async devDiagnostic(input: DevDiagnosticInput): Promise<DevDiagnosticOutput> {
    await this.#ensureMigrationsTable(input.migrationsList);
    return this.#run((engine) => engine.devDiagnostic(input));
  }

  async createMigration(input: CreateMigrationInput): Promise<CreateMigrationOutput> {
    return this.#fromMigrations(
      input.migrationsList,
      (session) => session.#run((engine) => engine.createMigration(input)),
      { scratch: true },
    );
  }

  /** About the main database's data, so it needs the pending migrations applied first (migrate dev does). */
  async evaluateDataLoss(input: EvaluateDataLossInput): Promise<EvaluateDataLossOutput> {
    return this.#fromMigrations(
      input.migrationsList,
      (session) => session.#run((engine) => engine.evaluateDataLoss(input)),
      { scratch: false },
    );
  }

  async diff(params: DiffParams): Promise<DiffResult> {
    return this.#run((engine) => engine.diff(params));
  }

  async markMigrationApplied(input: MarkMigrationAppliedInput): Promise<void> {
    await this.#ensureMigrationsTable(input.migrationsList);
    await this.#run((engine) => engine.markMigrationApplied(input));
  }

  async markMigrationRolledBack(input: MarkMigrationRolledBackInput): Promise<void> {
    if (this.kind === 'sqlite' && !(await this.factory.hasMigrationsTable())) {
      throw new EngineError(`Migration \`${input.migrationName}\` cannot be rolled back because it was never applied to the database. Hint: did you pass in the whole migration name? (example: "20201207184859_initial_migration")`, { code: 'P3011' });
    }
    await this.#run((engine) => engine.markMigrationRolledBack(input));
  }

  schemaPush(input: SchemaPushInput): Promise<SchemaPushOutput> {
    return this.#run((engine) => engine.schemaPush(input));
  }

  introspect(params: IntrospectParams): Promise<IntrospectResult> {
    return this.#run((engine) => engine.introspect(params));
  }

  introspectSql(params: IntrospectSqlParams): Promise<IntrospectSqlResult> {
    return this.#run((engine) => engine.introspectSql(params));
  }

  /** Connects (the engine connects when the session opens) and asks the database its version. */
  async ensureConnectionValidity(): Promise<void> {
    await this.#run((engine) => engine.version());
  }

  version(): Promise<string> {
    return this.#run((engine) => engine.version());
  }

  /** Empties the main database. Never the engine's reset (see EngineAdapterFactory). */
  async reset(): Promise<void> {
    try {
      await this.factory.resetMainDatabase();
    } catch (error) {
      throw toEngineError(error, this.errors);
    }
  }

  /** `prisma db execute`: the script, whole, on the main database. */
  async dbExecute(params: DbExecuteParams): Promise<void> {
    void params.datasourceType;
    try {
      await this.factory.executeMainScript(params.script);
    } catch (error) {
      throw toEngineError(error, this.errors);
    }
  }

  debugPanic(): Promise<void> {
    return this.#run(async (engine) => engine.debugPanic());
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.engine.free();
    } finally {
      await this.factory.close();
      releaseEngineTimers();
    }
  }
}

/** Whatever the engine (or an adapter under it) threw, as an EngineError with a useful message. */
export function toEngineError(error: unknown, registry?: ErrorRegistry): EngineError {
  if (error instanceof EngineError) return error;
  if (error instanceof WebAssembly.RuntimeError) {
    const panic = takePanicMessage();
    return new EngineError(panic ?? error.message, { isPanic: true, cause: error });
  }
  if (error instanceof Error) {
    const external = /External error id#(\d+)/.exec(error.message);
    if (external && registry) {
      const original = registry.consumeError(Number(external[1]))?.error;
      if (original !== undefined) return toEngineError(original);
    }
    const code = (error as { code?: unknown }).code;
    const message = error.message.replace(/\n\s+0: schema_engine_wasm[\s\S]*$/, '').replace(/\n\s+\d+: [\s\S]*$/, '');
    return new EngineError(message, { code: typeof code === 'string' && /^P\d{4}$/.test(code) ? code : undefined, cause: error });
  }
  return new EngineError(String(error), { cause: error });
}
