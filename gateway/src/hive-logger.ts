import { Logger as HiveLogger, type LogLevel as HiveLogLevel, type LogWriter } from '@graphql-hive/gateway-runtime';
import type { Logger } from '@sp/runtime/logger';

/**
 * Hive's level for our pino level. Hive's debug and trace lines carry whole subgraph request
 * bodies (variables, which can hold personal data), so Hive never logs below `info`.
 * pino's `fatal` maps to `error`; `silent` turns Hive's logging off.
 */
function hiveLevelFor(pinoLevel: string): HiveLogLevel | false {
  switch (pinoLevel) {
    case 'trace':
    case 'debug':
      return 'info';
    case 'info':
    case 'warn':
    case 'error':
      return pinoLevel;
    case 'fatal':
      return 'error';
    default:
      return false;
  }
}

/**
 * Keys whose values can carry personal data or secrets: Hive's error lines include the
 * subgraph request (`extensions.request.body`, with the query's inlined arguments and its
 * variables), and its fetch lines include headers.
 */
const REDACTED_KEYS = new Set(['body', 'query', 'variables', 'headers', 'authorization', 'cookie']);
const MAX_DEPTH = 6;

function redact(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object' || value instanceof Error) return value;
  if (depth >= MAX_DEPTH) return '[truncated]';
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, REDACTED_KEYS.has(key) ? '[redacted]' : redact(item, depth + 1)]),
  );
}

/** Hive passes attributes as an object or an array; pino wants an object, with errors under `err`. */
function toPinoObject(attrs: unknown): Record<string, unknown> {
  if (attrs == null) return {};
  if (attrs instanceof Error) return { err: attrs };
  if (Array.isArray(attrs) || typeof attrs !== 'object') return { attrs: redact(attrs, 0) };
  const { error, err, ...rest } = redact(attrs, 0) as Record<string, unknown>;
  const failure = err ?? error;
  return failure === undefined ? rest : { ...rest, err: failure };
}

/**
 * A Hive logger that writes through our pino logger, so the gateway's own lines and Hive's
 * (each with Hive's `requestId` attribute) come out as one JSON stream.
 */
export function createHiveLogger(logger: Logger): HiveLogger {
  const writer: LogWriter = {
    write(level, attrs, msg) {
      logger[level](toPinoObject(attrs), msg ?? undefined);
    },
  };
  return new HiveLogger({ level: () => hiveLevelFor(logger.level), writers: [writer] });
}
