import { createLogger, type Logger } from '@sp/runtime/logger';

/** A real pino logger whose lines are kept in memory, so tests can read what was logged. */
export function captureLogs(): { logger: Logger; lines: () => Array<Record<string, unknown>>; text: () => string } {
  const raw: string[] = [];
  const logger = createLogger({ name: 'bot-test', level: 'debug', destination: { write: (line: string) => raw.push(line) } });
  return {
    logger,
    lines: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>),
    text: () => raw.join(''),
  };
}
