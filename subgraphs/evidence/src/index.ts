import { z } from 'zod';
import { loadAuthConfig } from '@sp/auth/config';
import { createTokenVerifier } from '@sp/auth/verifier';
import { hostVariable, loadConfig, logLevelVariable, portVariable } from '@sp/runtime/config';
import { createLogger } from '@sp/runtime/logger';
import { runService } from '@sp/runtime/process';
import { startSubgraph } from '@sp/runtime/subgraph';
import { loadTracingConfig } from '@sp/runtime/telemetry';
import { describeDatabase, resolveDatabase } from '@sp/prisma/database';
import { openEvidenceDatabase } from '@sp/prisma/evidence';
import { seedEvidenceSample } from '@sp/prisma/sample/evidence';
import { createEvidenceServer } from './server';

const config = loadConfig(
  z.object({
    EVIDENCE_PORT: portVariable(4003),
    EVIDENCE_HOST: hostVariable,
    LOG_LEVEL: logLevelVariable,
    SEED_SAMPLE_DATA: z.enum(['true', 'false']).default('true'),
  }),
  process.env,
);
const logger = createLogger({ name: 'evidence', level: config.LOG_LEVEL });

await runService(logger, async () => {
  const verifier = await createTokenVerifier(loadAuthConfig(process.env));
  const location = resolveDatabase('evidence', process.env);
  return startSubgraph({
    name: 'evidence',
    // OpenTelemetry traces only when OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT is set.
    tracing: loadTracingConfig(process.env, 'evidence'),
    logger,
    port: config.EVIDENCE_PORT,
    host: config.EVIDENCE_HOST,
    databaseDescription: describeDatabase(location),
    openDatabase: () => openEvidenceDatabase(location),
    seed: config.SEED_SAMPLE_DATA === 'true' ? seedEvidenceSample : undefined,
    createServer: (dependencies) => createEvidenceServer({ ...dependencies, verifier }),
  });
});
