/** Starts the gateway: the only file that reads the environment and listens. */
import { readFile } from 'node:fs/promises';
import { ConfigError } from '@sp/runtime/config';
import { createLogger } from '@sp/runtime/logger';
import { loadGatewayConfig, type GatewayConfig } from './config';
import { createGatewayServer } from './server';
import { DEFAULT_SUPERGRAPH_PATH } from './supergraph';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

let config: GatewayConfig;
try {
  config = loadGatewayConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) fail(error.message);
  throw error;
}

const logger = createLogger({ name: 'gateway', level: config.logLevel });

const supergraphSdl = await readFile(DEFAULT_SUPERGRAPH_PATH, 'utf8').catch(() =>
  fail(`The supergraph ${DEFAULT_SUPERGRAPH_PATH} is missing. Compose it with: npm run compose -w @sp/gateway`),
);

const development = config.nodeEnv !== 'production';
const gateway = createGatewayServer({
  supergraphSdl,
  subgraphUrls: config.subgraphUrls,
  logger,
  introspection: development,
  // Off until it can be served from this machine: the stock GraphiQL page loads from a CDN.
  graphiql: false,
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
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
