import { loadAuthConfig } from '@sp/auth/config';
import { createTokenVerifier } from '@sp/auth/verifier';
import { createLogger } from '@sp/runtime/logger';
import { runService } from '@sp/runtime/process';
import { startSubgraph } from '@sp/runtime/subgraph';
import { loadTracingConfig } from '@sp/runtime/telemetry';
import { describeDatabase, resolveDatabase } from '@sp/prisma/database';
import { openReferralDatabase } from '@sp/prisma/referral';
import { loadReferralConfig } from './config';
import { createHttpActivityDirectory } from './domain/directory';
import { loadOrCreateSelfServiceKeyFile, parseSelfServiceKey } from './self-service-key';
import { createReferralServer } from './server';

const config = loadReferralConfig(process.env);
const logger = createLogger({ name: 'referral', level: config.logLevel });
logger.info({ trustedProxies: config.settings.trustedProxies }, 'X-Forwarded-For is believed only from these proxies');

await runService(logger, async () => {
  const verifier = await createTokenVerifier(loadAuthConfig(process.env));
  const selfServiceKey =
    config.selfServiceKey.kind === 'value'
      ? parseSelfServiceKey(config.selfServiceKey.text)
      : await loadOrCreateSelfServiceKeyFile(config.selfServiceKey.file);
  const directory = createHttpActivityDirectory({
    url: config.providerUrl,
    timeoutMs: config.directoryTimeoutMs,
    logger: logger.child({ component: 'directory' }),
  });
  const location = resolveDatabase('referral', process.env);
  return startSubgraph({
    name: 'referral',
    // OpenTelemetry traces only when OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT is set.
    tracing: loadTracingConfig(process.env, 'referral'),
    logger,
    port: config.port,
    host: config.host,
    databaseDescription: describeDatabase(location),
    openDatabase: async () => {
      const database = await openReferralDatabase(location);
      // A referral acknowledged to the caller must survive a power cut, not only a crash: on
      // SQLite, sync the WAL at every commit (PostgreSQL commits are durable by default).
      if (location.kind === 'sqlite') await database.client.$queryRawUnsafe('PRAGMA synchronous = FULL');
      return database;
    },
    createServer: ({ db, logger: serviceLogger }) =>
      createReferralServer({ db, logger: serviceLogger, verifier, directory, selfServiceKey, settings: config.settings }),
  });
});
