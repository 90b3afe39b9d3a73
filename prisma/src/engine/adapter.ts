// What the schema engine sessions need from a database, beyond Prisma's driver-adapter factory.
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
  SqlResultSet,
} from '@prisma/driver-adapter-utils';
import type { DatabaseKind } from '../targets';

export const MIGRATIONS_TABLE = '_prisma_migrations';

/**
 * A driver-adapter factory for the WebAssembly schema engine, with the defects of the stock
 * adapters guarded. It remembers every connection it opens so that `close()` can end them all.
 */
export interface EngineAdapterFactory extends SqlMigrationAwareDriverAdapterFactory {
  readonly kind: DatabaseKind;
  /** Whether the main database has Prisma's migrations table. */
  hasMigrationsTable(): Promise<boolean>;
  /** Whether the main database (or, on PostgreSQL, its schema) holds no tables, views or types. */
  isEmpty(): Promise<boolean>;
  /**
   * Empties the main database: every table, view and trigger on SQLite (then VACUUM); the schema,
   * dropped and created again, on PostgreSQL. The engine's own reset is never used.
   */
  resetMainDatabase(): Promise<void>;
  /** Runs a script on the main database as one unit (`prisma db execute`). */
  executeMainScript(script: string): Promise<void>;
  /** Ends every connection opened, and drops any temporary shadow database still present. */
  close(): Promise<void>;
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function query(sql: string, args: unknown[] = []): SqlQuery {
  return { sql, args, argTypes: args.map(() => ({ scalarType: 'unknown', arity: 'scalar' })) };
}

/** Rows of a result set as objects keyed by column name. */
export function rowsOf(result: SqlResultSet): Record<string, unknown>[] {
  return result.rows.map((row) => Object.fromEntries(result.columnNames.map((name, i) => [name, row[i]])));
}

/** Keeps a set of open connections; `dispose()` on one removes it. */
export class ConnectionTracker {
  readonly #open = new Set<SqlDriverAdapter>();

  add(connection: SqlDriverAdapter) {
    this.#open.add(connection);
  }

  delete(connection: SqlDriverAdapter) {
    this.#open.delete(connection);
  }

  get size() {
    return this.#open.size;
  }

  async disposeAll(): Promise<void> {
    const errors: unknown[] = [];
    for (const connection of [...this.#open]) {
      try {
        await connection.dispose();
      } catch (error) {
        errors.push(error);
      }
      this.#open.delete(connection);
    }
    if (errors.length > 0) throw errors[0];
  }
}

/**
 * Statements that empty a whole database: the engine's own reset (DROP SCHEMA, then, when that
 * fails, a "soft reset" that starts by dropping the migrations table). Main connections refuse
 * them; only our explicit reset may run them.
 */
const DESTRUCTIVE_STATEMENT =
  /^\s*(?:--[^\n]*\n\s*)*DROP\s+(?:SCHEMA|DATABASE|OWNED\b|TABLE\s+(?:IF\s+EXISTS\s+)?(?:"?[\w$]+"?\.)?"?_prisma_migrations\b)/i;

export class RefusedStatementError extends Error {
  override name = 'RefusedStatementError';
}

export function refuseDestructiveStatement(sql: string): void {
  if (DESTRUCTIVE_STATEMENT.test(sql)) {
    throw new RefusedStatementError(
      `Refused to run "${sql.trim().split('\n')[0]}" on the main database: only an explicit reset may empty it.`,
    );
  }
}
