import { pino, type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  name: string;
  level?: string;
  /** Where log lines go; standard output by default. Tests pass a stream to read them back. */
  destination?: pino.DestinationStream;
}

/**
 * JSON logs. Tokens and anything that could hold personal data are redacted by path as a
 * second line of defence: code must not log personal data in the first place.
 */
export function createLogger({ name, level = 'info', destination }: LoggerOptions): Logger {
  return pino(
    {
      name,
      level,
      base: { service: name },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["x-forwarded-for"]',
          'req.remoteAddress',
          'res.headers["set-cookie"]',
          'headers.authorization',
          'headers.cookie',
          'headers["set-cookie"]',
          'headers["x-forwarded-for"]',
          '*.headers.authorization',
          '*.headers.cookie',
          'authorization',
          'cookie',
          'token',
          '*.token',
          'variables',
          '*.variables',
          'person',
          '*.person',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
