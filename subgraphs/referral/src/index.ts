import { z } from 'zod';
import { hostVariable, loadConfig, logLevelVariable, portVariable } from '@sp/runtime/config';
import { createLogger } from '@sp/runtime/logger';
import { runService } from '@sp/runtime/process';
import { startSubgraph } from '@sp/runtime/subgraph';
import { describeDatabase, resolveDatabase } from '@sp/prisma/database';
import { openReferralDatabase } from '@sp/prisma/referral';
import { createReferralServer } from './server';

const config = loadConfig(
  z.object({
    REFERRAL_PORT: portVariable(4002),
    REFERRAL_HOST: hostVariable,
    LOG_LEVEL: logLevelVariable,
  }),
  process.env,
);
const logger = createLogger({ name: 'referral', level: config.LOG_LEVEL });

await runService(logger, () => {
  const location = resolveDatabase('referral', process.env);
  return startSubgraph({
    name: 'referral',
    logger,
    port: config.REFERRAL_PORT,
    host: config.REFERRAL_HOST,
    databaseDescription: describeDatabase(location),
    openDatabase: () => openReferralDatabase(location),
    createServer: createReferralServer,
  });
});
