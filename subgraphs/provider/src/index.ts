import { z } from 'zod';
import { loadAuthConfig } from '@sp/auth/config';
import { createTokenVerifier } from '@sp/auth/verifier';
import { hostVariable, loadConfig, logLevelVariable, portVariable } from '@sp/runtime/config';
import { createLogger } from '@sp/runtime/logger';
import { runService } from '@sp/runtime/process';
import { startSubgraph } from '@sp/runtime/subgraph';
import { loadTracingConfig } from '@sp/runtime/telemetry';
import { describeDatabase, resolveDatabase } from '@sp/prisma/database';
import { openProviderDatabase } from '@sp/prisma/provider';
import { ensureVocabularies } from '@sp/prisma/reference/vocabularies';
import { seedProviderSample } from '@sp/prisma/sample/provider';
import { createProviderServer } from './server';

const config = loadConfig(
  z.object({
    PROVIDER_PORT: portVariable(4001),
    PROVIDER_HOST: hostVariable,
    LOG_LEVEL: logLevelVariable,
    SEED_SAMPLE_DATA: z.enum(['true', 'false']).default('true'),
  }),
  process.env,
);
const logger = createLogger({ name: 'provider', level: config.LOG_LEVEL });

await runService(logger, async () => {
  const verifier = await createTokenVerifier(loadAuthConfig(process.env));
  const location = resolveDatabase('provider', process.env);
  return startSubgraph({
    name: 'provider',
    // OpenTelemetry traces only when OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT is set.
    tracing: loadTracingConfig(process.env, 'provider'),
    logger,
    port: config.PROVIDER_PORT,
    host: config.PROVIDER_HOST,
    databaseDescription: describeDatabase(location),
    openDatabase: () => openProviderDatabase(location),
    // The vocabularies are reference data and always loaded; the sample directory only when asked.
    seed: async (db) => {
      await ensureVocabularies(db);
      return config.SEED_SAMPLE_DATA === 'true' ? seedProviderSample(db) : 0;
    },
    createServer: (dependencies) => createProviderServer({ ...dependencies, verifier }),
  });
});
