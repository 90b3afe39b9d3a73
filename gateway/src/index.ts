/** Starts the gateway: the only file that reads the environment and listens. */
import { readFile } from 'node:fs/promises';
import { loadAuthConfig } from '@sp/auth/config';
import { createTokenVerifier } from '@sp/auth/verifier';
import { ConfigError } from '@sp/runtime/config';
import { Redis } from 'ioredis';
import { createLogger } from '@sp/runtime/logger';
import { startTracing } from '@sp/runtime/telemetry';
import { loadGatewayConfig, type GatewayConfig } from './config';
import { createGatewayServer } from './server';
import { DEFAULT_SUPERGRAPH_PATH } from './supergraph';
import { loadPersistedDocuments, PersistedDocumentsError } from './persisted-documents';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

let config: GatewayConfig;
let authConfig: ReturnType<typeof loadAuthConfig>;
try {
  config = loadGatewayConfig(process.env);
  authConfig = loadAuthConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) fail(error.message);
  throw error;
}

const logger = createLogger({ name: 'gateway', level: config.logLevel });

// Only with an OTLP endpoint configured; otherwise no OpenTelemetry SDK is loaded at all.
const tracing = config.tracing ? await startTracing(config.tracing, logger) : undefined;

const supergraphSdl = await readFile(DEFAULT_SUPERGRAPH_PATH, 'utf8').catch(() =>
  fail(`The supergraph ${DEFAULT_SUPERGRAPH_PATH} is missing. Compose it with: npm run compose -w @sp/gateway`),
);

// Persisted documents are read and checked once, now: a bad manifest stops start-up.
const persistedDocuments = config.persistedDocuments
  ? {
      documents: await loadPersistedDocuments(config.persistedDocuments.path).catch((error: unknown) =>
        error instanceof PersistedDocumentsError ? fail(`GATEWAY_PERSISTED_DOCUMENTS: ${error.message}`) : Promise.reject(error),
      ),
      only: config.persistedDocuments.only,
    }
  : undefined;
if (persistedDocuments) {
  logger.info({ count: persistedDocuments.documents.size, only: persistedDocuments.only }, 'persisted documents loaded');
}
logger.info({ trustedProxies: config.trustedProxies }, 'X-Forwarded-For is believed only from these proxies');

// The same verifier configuration as the subgraphs: a refused token never reaches them.
const verifier = await createTokenVerifier(authConfig);

// Rate limits are shared through Redis when REDIS_URL is set, so several instances count together.
const redis = config.rateLimit.redisUrl ? new Redis(config.rateLimit.redisUrl, { enableOfflineQueue: false }) : undefined;
redis?.on('error', (error: unknown) => logger.warn({ err: error }, 'redis connection error'));

const development = config.nodeEnv !== 'production';
const gateway = createGatewayServer({
  supergraphSdl,
  subgraphUrls: config.subgraphUrls,
  logger,
  verifier,
  limits: config.limits,
  corsOrigins: config.corsOrigins,
  metrics: config.metrics,
  trustedProxies: config.trustedProxies,
  ...(persistedDocuments ? { persistedDocuments } : {}),
  rateLimit: { general: config.rateLimit.general, selfReferral: config.rateLimit.selfReferral, ...(redis ? { redis } : {}) },
  introspection: development,
  // In development only, served from this machine (the stock page would load from a CDN).
  graphiql: development,
});

const { url } = await gateway.listen(config.port, config.host);
logger.info({ url, subgraphs: gateway.subgraphs }, `Gateway ready at ${url}`);

// Hive's runtime registers its own SIGINT/SIGTERM listeners (they only dispose the runtime).
// Any listener stops Node's default exit on those signals, so we close everything and exit.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'shutting down');
    gateway.close().then(
      async () => {
        await redis?.quit().catch(() => undefined);
        // Sends the spans still waiting for their batch.
        await tracing?.shutdown().catch(() => undefined);
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
