// The program behind bin/schema-engine: stands in for Prisma's native schema-engine binary, so
// that the unmodified Prisma CLI works offline.
//
// Protocol, as the CLI speaks it:
// - `schema-engine --version` prints the version.
// - `schema-engine --datasource '{"url":...}' cli <command>` runs one command and exits; on
//   failure, stderr carries JSON log lines (the CLI skips the first line) and the exit code is 1.
// - Otherwise, `schema-engine [--datamodels <file>]... [--datasource <json>]` serves JSON-RPC 2.0,
//   one message per line, on stdin and stdout, with the engine's JSON log lines on stderr. The CLI
//   closes stdin and sends SIGTERM when done.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import Database from 'better-sqlite3';
import type { DatabaseKind } from '../targets';
import {
  kindOfUrl,
  locationFromDatasource,
  postgresPartsOf,
  providerOfLockfile,
  providerOfSchema,
  sqliteFileOf,
  type DatasourceArgument,
} from './locations';
import { createPostgresDatabase, parsePostgresUrl, probePostgres } from './postgresql';
import { createEngineAdapterFactory, EngineError, EngineSession, toEngineError, type EngineLocation } from './session';
import { schemaEngineVersion } from './wasm';

interface Arguments {
  datamodels: string[];
  datasource: DatasourceArgument | undefined;
  cliCommand: string | undefined;
  version: boolean;
  help: boolean;
}

function parseArguments(argv: string[]): Arguments {
  const args: Arguments = { datamodels: [], datasource: undefined, cliCommand: undefined, version: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    switch (arg) {
      case '--version':
      case '-V':
        args.version = true;
        break;
      case '--help':
      case '-h':
        args.help = true;
        break;
      case '--datamodels':
      case '-d':
        args.datamodels.push(value());
        break;
      case '--datasource':
        args.datasource = JSON.parse(value()) as DatasourceArgument;
        break;
      case '--enabled-preview-features':
      case '--extension-types':
        value();
        break;
      case 'cli':
        args.cliCommand = argv[++i];
        break;
      default:
        throw new Error(`Unknown argument: ${arg}`);
    }
  }
  return args;
}

/** A log line in the native engine's format (the CLI reads these from stderr). */
function logLine(level: 'INFO' | 'ERROR', fields: Record<string, unknown>) {
  return JSON.stringify({ timestamp: new Date().toISOString(), level, fields, target: 'schema_engine::logger' });
}

function userFacing(error: unknown): { code: string | undefined; message: string; isPanic: boolean } {
  const converted = error instanceof EngineError ? error : toEngineError(error);
  return { code: converted.code, message: converted.message, isPanic: converted.isPanic };
}

// ---------------------------------------------------------------------------------------------
// `cli` sub-commands

function databaseMissing(url: string): { code: string; message: string } | undefined {
  const kind = kindOfUrl(url);
  if (kind === 'sqlite') {
    const file = sqliteFileOf(url, process.cwd());
    if (file !== ':memory:' && !existsSync(file)) {
      return { code: 'P1003', message: `Database \`${path.basename(file)}\` does not exist at \`${file}\`.` };
    }
  }
  return undefined;
}

async function canConnect(url: string): Promise<void> {
  const missing = databaseMissing(url);
  if (missing) throw new EngineError(missing.message, { code: missing.code });
  if (kindOfUrl(url) === 'postgresql') {
    const { url: databaseUrl } = postgresPartsOf(url);
    try {
      await probePostgres(databaseUrl);
    } catch (error) {
      throw postgresConnectionError(error, databaseUrl);
    }
  } else if (kindOfUrl(url) === undefined) {
    throw new EngineError(`Unsupported database URL: ${url.split(':')[0]}:...`, { code: 'P1013' });
  }
}

function postgresConnectionError(error: unknown, url: string): EngineError {
  const fields = parsePostgresUrl(url);
  const code = (error as { code?: string }).code;
  const server = `${fields.host}:${fields.port}`;
  if (code === '3D000') {
    return new EngineError(`Database \`${fields.database}\` does not exist on the database server at \`${server}\`.`, { code: 'P1003' });
  }
  if (code === '28P01' || code === '28000') {
    return new EngineError(`Authentication failed against database server at \`${server}\`: ${(error as Error).message}`, { code: 'P1000' });
  }
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || code === 'EHOSTUNREACH') {
    return new EngineError(`Can't reach database server at \`${server}\`\n\nPlease make sure your database server is running at \`${server}\`.`, { code: 'P1001' });
  }
  return toEngineError(error);
}

async function createDatabase(url: string): Promise<string> {
  const kind = kindOfUrl(url);
  if (kind === 'sqlite') {
    const file = sqliteFileOf(url, process.cwd());
    mkdirSync(path.dirname(file), { recursive: true });
    new Database(file).close();
    return path.basename(file);
  }
  if (kind === 'postgresql') {
    const { url: databaseUrl } = postgresPartsOf(url);
    try {
      await createPostgresDatabase(databaseUrl);
    } catch (error) {
      throw postgresConnectionError(error, databaseUrl);
    }
    return parsePostgresUrl(databaseUrl).database;
  }
  throw new EngineError(`Unsupported database URL: ${url.split(':')[0]}:...`, { code: 'P1013' });
}

async function runCliCommand(command: string, datasource: DatasourceArgument | undefined): Promise<number> {
  const url = datasource?.url;
  try {
    if (!url) throw new EngineError('No datasource URL was given (--datasource).');
    switch (command) {
      case 'can-connect-to-database':
        await canConnect(url);
        break;
      case 'create-database':
        await createDatabase(url);
        break;
      default:
        throw new EngineError(`Unsupported cli command: ${command}`);
    }
    return 0;
  } catch (error) {
    const { code, message, isPanic } = userFacing(error);
    // The CLI drops the first line of stderr.
    process.stderr.write(`${logLine('INFO', { message: `Running cli ${command}` })}\n`);
    process.stderr.write(`${logLine('ERROR', { is_panic: isPanic, error_code: code ?? '', message })}\n`);
    return 1;
  }
}

// ---------------------------------------------------------------------------------------------
// JSON-RPC server

interface RpcRequest {
  jsonrpc?: string;
  id?: number | string | null;
  method?: string;
  params?: Record<string, unknown>;
}

class RpcServer {
  #session: EngineSession | undefined;
  #opening: Promise<EngineSession> | undefined;
  readonly #datamodels: [string, string][];
  readonly #location: EngineLocation | undefined;
  readonly #schemaProvider: DatabaseKind | undefined;

  constructor(args: Arguments) {
    this.#datamodels = args.datamodels.map((file) => [file, readFileSync(path.resolve(file), 'utf8')]);
    this.#schemaProvider = this.#datamodels.map(([, content]) => providerOfSchema(content)).find(Boolean);
    this.#location = args.datasource ? locationFromDatasource(args.datasource, process.cwd()) : undefined;
    if (this.#location && this.#schemaProvider && this.#location.kind !== this.#schemaProvider) {
      throw new EngineError(
        `The datasource URL is for ${this.#location.kind} but the schema's provider is ${this.#schemaProvider}.`,
        { code: 'P1012' },
      );
    }
  }

  /** The engine, opened on first use (so that commands needing no database never connect). */
  session(providerHint?: DatabaseKind): Promise<EngineSession> {
    if (this.#session) return Promise.resolve(this.#session);
    this.#opening ??= (async () => {
      const location: EngineLocation = this.#location ?? {
        kind: 'none',
        provider: this.#schemaProvider ?? providerHint ?? 'sqlite',
      };
      const session = await EngineSession.open({
        location,
        datamodels: this.#datamodels.length > 0 ? this.#datamodels : undefined,
        log: (line) => process.stderr.write(`${line.trimEnd()}\n`),
      });
      this.#session = session;
      return session;
    })().catch((error: unknown) => {
      this.#opening = undefined;
      throw error;
    });
    return this.#opening;
  }

  async handle(method: string, params: Record<string, unknown>): Promise<unknown> {
    // The engine's input types are checked by the engine itself; here they pass through.
    const p = params as any;
    switch (method) {
      case 'applyMigrations':
        return (await this.session()).applyMigrations(p);
      case 'createMigration':
        return (await this.session()).createMigration(p);
      case 'devDiagnostic':
        return (await this.session()).devDiagnostic(p);
      case 'diagnoseMigrationHistory':
        return (await this.session()).diagnoseMigrationHistory(p);
      case 'evaluateDataLoss':
        return (await this.session()).evaluateDataLoss(p);
      case 'markMigrationApplied':
        await (await this.session()).markMigrationApplied(p);
        return {};
      case 'markMigrationRolledBack':
        await (await this.session()).markMigrationRolledBack(p);
        return {};
      case 'schemaPush':
        return (await this.session()).schemaPush(p);
      case 'introspect':
        return (await this.session()).introspect(p);
      case 'introspectSql':
        return (await this.session()).introspectSql(p);
      case 'reset':
        await (await this.session()).reset();
        return {};
      case 'diff':
        return (await this.session(providerOfDiff(p))).diff(p);
      case 'dbExecute':
        await this.#dbExecute(p);
        return {};
      case 'ensureConnectionValidity':
        await (await this.session()).ensureConnectionValidity();
        return {};
      case 'getDatabaseVersion':
      case 'getDatabaseDescription':
        return (await this.session()).version();
      case 'createDatabase': {
        const url = p?.datasource?.tag === 'ConnectionString' ? p.datasource.url : this.#datasourceUrl();
        return { databaseName: await createDatabase(url) };
      }
      case 'debugPanic':
        await (await this.session()).debugPanic();
        return {};
      default:
        throw new MethodNotFound(method);
    }
  }

  #datasourceUrl(): string {
    const location = this.#location;
    if (!location || location.kind === 'none') throw new EngineError('No datasource URL was given.');
    return location.kind === 'sqlite' ? `file:${location.file}` : `${location.url}`;
  }

  async #dbExecute(params: { script: string; datasourceType?: { tag: string; url?: string } }) {
    const target = params.datasourceType;
    if (target?.tag === 'url' && target.url) {
      const location = locationFromDatasource({ url: target.url }, process.cwd());
      if (!location) throw new EngineError('db execute needs a datasource URL.');
      const factory = createEngineAdapterFactory(location);
      try {
        await factory.executeMainScript(params.script);
      } catch (error) {
        throw toEngineError(error);
      } finally {
        await factory.close();
      }
      return;
    }
    await (await this.session()).dbExecute(params as never);
  }

  async close() {
    const session = this.#session ?? (await this.#opening?.catch(() => undefined));
    this.#session = undefined;
    await session?.close();
  }
}

class MethodNotFound extends Error {}

function providerOfDiff(params: { from?: DiffSide; to?: DiffSide } | undefined): DatabaseKind | undefined {
  for (const side of [params?.from, params?.to]) {
    if (!side) continue;
    if (side.tag === 'schemaDatamodel' || side.tag === 'schemaDatasource') {
      for (const file of side.files ?? []) {
        const provider = providerOfSchema(file.content);
        if (provider) return provider;
      }
    }
    if (side.tag === 'migrations') {
      const provider = providerOfLockfile(side.lockfile?.content ?? null);
      if (provider) return provider;
    }
    if (side.tag === 'url' && side.url) {
      const provider = kindOfUrl(side.url);
      if (provider) return provider;
    }
  }
  return undefined;
}

interface DiffSide {
  tag: string;
  files?: { path: string; content: string }[];
  lockfile?: { content: string | null };
  url?: string;
}

async function serve(args: Arguments): Promise<void> {
  let server: RpcServer | undefined;
  let startupError: unknown;
  try {
    server = new RpcServer(args);
  } catch (error) {
    startupError = error;
  }
  let queue: Promise<void> = Promise.resolve();
  let exiting = false;
  let printed = 0;

  const write = (message: object) => process.stdout.write(`${JSON.stringify(message)}\n`);

  const shutdown = async (code: number) => {
    if (exiting) return;
    exiting = true;
    await queue.catch(() => undefined);
    await server?.close().catch((error: unknown) => {
      process.stderr.write(`${logLine('ERROR', { message: `Closing connections failed: ${String(error)}` })}\n`);
    });
    process.exit(code);
  };

  const handleLine = async (line: string) => {
    if (!line.trim()) return;
    let request: RpcRequest;
    try {
      request = JSON.parse(line) as RpcRequest;
    } catch {
      write({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
      return;
    }
    const id = request.id ?? null;
    // Replies from the CLI (to our "print" requests) need nothing more.
    if (!request.method) return;
    try {
      if (startupError || !server) throw startupError;
      const result = await server.handle(request.method, request.params ?? {});
      if (request.method === 'diff') {
        // The native engine prints a diff by asking the CLI to ("print"); the WebAssembly engine
        // returns it instead.
        const diff = result as { stdout?: string | null };
        if (diff.stdout) {
          write({ jsonrpc: '2.0', id: `print-${++printed}`, method: 'print', params: { content: diff.stdout.replace(/\n$/, '') } });
        }
        write({ jsonrpc: '2.0', id, result: { ...diff, stdout: null } });
        return;
      }
      write({ jsonrpc: '2.0', id, result: result ?? {} });
    } catch (error) {
      if (error instanceof MethodNotFound) {
        write({ jsonrpc: '2.0', id, error: { code: -32601, message: `Method not found: ${request.method}` } });
        return;
      }
      const { code, message, isPanic } = userFacing(error);
      process.stderr.write(`${logLine('ERROR', { is_panic: isPanic, error_code: code ?? '', message })}\n`);
      write({
        jsonrpc: '2.0',
        id,
        error: {
          code: 4466,
          message: 'An error happened. Check the data field for details.',
          data: {
            is_panic: isPanic,
            message,
            backtrace: null,
            ...(isPanic ? { error: { message } } : {}),
            ...(code ? { error_code: code, meta: {} } : {}),
          },
        },
      });
      if (isPanic) {
        // The WebAssembly instance cannot be trusted after a panic.
        await shutdown(101);
      }
    }
  };

  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    queue = queue.then(() => handleLine(line));
  });
  lines.on('close', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  process.on('SIGINT', () => void shutdown(130));
}

export async function main(argv: string[]): Promise<void> {
  let args: Arguments;
  try {
    args = parseArguments(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  if (args.help) {
    process.stdout.write(
      'schema-engine (WebAssembly stand-in for the native binary)\n' +
        'Usage: schema-engine [--datamodels <file>]... [--datasource <json>] [cli <can-connect-to-database|create-database>]\n' +
        '       schema-engine --version\n',
    );
    return;
  }
  if (args.version) {
    process.stdout.write(`schema-engine-cli ${await schemaEngineVersion()}\n`);
    return;
  }
  if (args.cliCommand) {
    process.exit(await runCliCommand(args.cliCommand, args.datasource));
  }
  await serve(args);
}
