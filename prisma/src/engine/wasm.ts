// Loads Prisma's schema engine compiled to WebAssembly (@prisma/schema-engine-wasm) on Node 20.
//
// The package's main entry imports a `.wasm` file as an ES module, which Node 20 cannot do, so we
// import its JavaScript glue (the `schema_engine_bg` subpath) and instantiate the WebAssembly
// ourselves, wiring the glue in as the module's only import.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { SchemaEngine as WasmSchemaEngine } from '@prisma/schema-engine-wasm';

export type { WasmSchemaEngine };

interface SchemaEngineGlue {
  SchemaEngine: {
    new: (options: { datamodels: [string, string][] | undefined }, log: (line: string) => void, adapter: object) => Promise<WasmSchemaEngine>;
  };
  version(): string;
  __wbg_set_wasm(exports: WebAssembly.Exports): void;
}

interface PanicRegistry {
  set_message(message: string): void;
}

declare global {
  // Read by the WebAssembly glue when the engine panics; without it a panic crashes the process.
  var PRISMA_WASM_PANIC_REGISTRY: PanicRegistry | undefined;
}

let lastPanicMessage: string | undefined;

/** The message of the most recent engine panic, if any (and forgets it). */
export function takePanicMessage(): string | undefined {
  const message = lastPanicMessage;
  lastPanicMessage = undefined;
  return message;
}

// The engine starts timers (timeouts raced against queries) that it never clears. They would keep
// the process alive for seconds after the work is done, so once a command has finished the
// leftovers are unref'd. Timers started during a command stay referenced: the engine may be
// waiting on one.
const pendingTimers = new Set<NodeJS.Timeout>();

function trackedSetTimeout(callback: () => void, ms: number): NodeJS.Timeout {
  const timer = setTimeout(() => {
    pendingTimers.delete(timer);
    callback();
  }, ms >>> 0);
  pendingTimers.add(timer);
  return timer;
}

let commandsRunning = 0;

/** Wraps one engine command; when no command is left running, unrefs the leftover timers. */
export async function engineCommand<T>(run: () => Promise<T>): Promise<T> {
  commandsRunning++;
  try {
    return await run();
  } finally {
    if (--commandsRunning === 0) releaseEngineTimers();
  }
}

/** Lets the process exit without waiting for the engine's leftover timers. */
export function releaseEngineTimers(): void {
  if (commandsRunning > 0) return;
  for (const timer of pendingTimers) timer.unref();
  pendingTimers.clear();
}

let loading: Promise<SchemaEngineGlue> | undefined;

/** Instantiates the WebAssembly module once per process. */
export function loadSchemaEngineModule(): Promise<SchemaEngineGlue> {
  loading ??= instantiate().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

async function instantiate(): Promise<SchemaEngineGlue> {
  globalThis.PRISMA_WASM_PANIC_REGISTRY ??= {
    set_message(message: string) {
      lastPanicMessage = message;
    },
  };
  const require = createRequire(import.meta.url);
  const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const wasmPath = gluePath.replace(/\.js$/, '.wasm');
  const [glue, bytes] = await Promise.all([
    import('@prisma/schema-engine-wasm/schema_engine_bg') as Promise<unknown> as Promise<SchemaEngineGlue>,
    readFile(wasmPath),
  ]);
  const imports: WebAssembly.ModuleImports = { ...(glue as unknown as WebAssembly.ModuleImports) };
  for (const name of Object.keys(imports)) {
    if (name.startsWith('__wbg_setTimeout_')) imports[name] = trackedSetTimeout;
  }
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': imports });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return glue;
}

/** The engine's version: the prisma-engines commit it was built from. */
export async function schemaEngineVersion(): Promise<string> {
  return (await loadSchemaEngineModule()).version();
}
