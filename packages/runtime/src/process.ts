import type { Logger } from './logger';

/**
 * Runs a service's start-up, logs a fatal start-up error plainly, and closes the service on
 * SIGINT/SIGTERM so databases are closed cleanly.
 */
export async function runService(
  logger: Logger,
  start: () => Promise<{ close(): Promise<void> }>,
): Promise<void> {
  let service: { close(): Promise<void> };
  try {
    service = await start();
  } catch (error) {
    logger.fatal({ err: error }, 'could not start');
    process.exitCode = 1;
    // Give pino a moment to flush before the process ends.
    setTimeout(() => process.exit(1), 100).unref();
    return;
  }
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    service
      .close()
      .catch((error: unknown) => logger.error({ err: error }, 'error while stopping'))
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
