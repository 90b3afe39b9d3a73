import { readFile, writeFile } from 'node:fs/promises';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLSchema } from 'graphql';
import { createErrorFormatter } from './errors';
import { createGraphQLHttpService, type GraphQLHttpServiceOptions, type ReadinessReport, type RequestInfo } from './http';
import type { Logger } from './logger';
import { startTracing, type TracingConfig } from './telemetry';

export interface SubgraphServiceOptions<TContext extends BaseContext> {
  schema: GraphQLSchema;
  logger: Logger;
  readiness: () => Promise<ReadinessReport>;
  context: (request: RequestInfo) => Promise<TContext>;
  /** Introspection is for development tools; the gateway does not need it. */
  introspection?: boolean;
  routes?: GraphQLHttpServiceOptions<TContext>['routes'];
}

/** An Apollo Server for one subgraph, behind the shared HTTP service (health, ready, request ids). */
export function createSubgraphHttpService<TContext extends BaseContext>(options: SubgraphServiceOptions<TContext>) {
  const apollo = new ApolloServer<TContext>({
    schema: options.schema,
    introspection: options.introspection ?? true,
    // The gateway does not use Apollo's inline traces; they cost time on every request.
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    formatError: createErrorFormatter(options.logger),
    includeStacktraceInErrorResponses: false,
  });
  return createGraphQLHttpService({
    apollo,
    logger: options.logger,
    readiness: options.readiness,
    context: options.context,
    ...(options.routes ? { routes: options.routes } : {}),
  });
}

/** The subgraph's SDL as committed in its schema.graphql and composed by the gateway. */
export function printSubgraphSdl(schema: GraphQLSchema): string {
  return `${printSubgraphSchema(schema).trim()}\n`;
}

/**
 * Writes the printed schema, or with `check` compares it with the committed file and throws
 * when they differ, so CI notices a schema change that was not committed.
 */
export async function writeOrCheckSchemaFile(file: string, sdl: string, check: boolean): Promise<'written' | 'unchanged'> {
  const committed = await readFile(file, 'utf8').catch(() => undefined);
  if (committed === sdl) return 'unchanged';
  if (check) {
    throw new Error(`${file} is out of date: run \`npm run print-schema\` in its package and commit the result.`);
  }
  await writeFile(file, sdl);
  return 'written';
}

export interface OpenedSubgraphDatabase<Db> {
  client: Db;
  appliedMigrations: string[];
  close(): Promise<void>;
}

export interface SubgraphMainOptions<Db> {
  name: string;
  logger: Logger;
  port: number;
  host: string;
  databaseDescription: string;
  openDatabase: () => Promise<OpenedSubgraphDatabase<Db>>;
  /** OpenTelemetry export (`loadTracingConfig`); undefined leaves tracing off. */
  tracing?: TracingConfig;
  /** Loads sample data into an empty database; returns how many records it added. */
  seed?: (db: Db) => Promise<number>;
  createServer: (dependencies: { db: Db; logger: Logger }) => {
    listen(port: number, host: string): Promise<{ url: string; close(): Promise<void> }>;
  };
}

/** The start-up every subgraph shares: migrate and open its database, seed when empty, listen. */
export async function startSubgraph<Db>(options: SubgraphMainOptions<Db>) {
  const { logger } = options;
  // Before anything else, so every request is traced from the first.
  const tracing = options.tracing ? await startTracing(options.tracing, logger) : undefined;
  const database = await options.openDatabase();
  logger.info(
    { database: options.databaseDescription, migrationsApplied: database.appliedMigrations },
    'database ready',
  );
  if (options.seed) {
    const added = await options.seed(database.client);
    if (added > 0) logger.info({ records: added }, 'loaded sample data into the empty database');
  }
  const running = await options
    .createServer({ db: database.client, logger })
    .listen(options.port, options.host);
  logger.info({ url: running.url }, `${options.name} subgraph ready at ${running.url}`);
  return {
    url: running.url,
    async close() {
      await running.close();
      await database.close();
      await tracing?.shutdown();
    },
  };
}
