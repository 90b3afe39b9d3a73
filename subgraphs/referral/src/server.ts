import { createIdentityResolver } from '@sp/auth/context';
import type { TokenVerifier } from '@sp/auth/verifier';
import type { Logger } from '@sp/runtime/logger';
import { createSubgraphHttpService } from '@sp/runtime/subgraph';
import type { ReferralClient } from '@sp/prisma/referral';
import type { ReferralServices } from './context';
import { recheckPendingActivities } from './domain/activity-check';
import type { ActivityDirectory } from './domain/directory';
import { createInstrumentRegistry } from './domain/outcomes';
import { createLogSink, createOutboxDispatcher, type MessageSink } from './domain/outbox';
import { createClientAddressReader, createClientLimiter } from './domain/rate-limit';
import { eraseExpiredPersonalData } from './domain/retention';
import { createSelfServiceKeys } from './domain/self-service';
import { startBackgroundTasks } from './jobs';
import { createReferralLoaders } from './loaders';
import { referralSchema } from './schema/index';
import { DEFAULT_SETTINGS, type ReferralSettings } from './settings';

export interface ReferralServerDependencies {
  db: ReferralClient;
  logger: Logger;
  /** Verifies bearer tokens again here: the gateway's word is not taken on trust. */
  verifier: TokenVerifier;
  /** Where activities are confirmed (the provider subgraph, over HTTP). */
  directory: ActivityDirectory;
  /** At least 32 bytes; self-referral secrets are derived from it. */
  selfServiceKey: Uint8Array;
  /** Where outbox messages go; the log by default. */
  sink?: MessageSink;
  settings?: Partial<ReferralSettings>;
  /** The clock; tests move it. */
  now?: () => Date;
}

/** Builds the referral subgraph's HTTP service; call `listen(port, host)` to serve it (and start its background jobs). */
export function createReferralServer(dependencies: ReferralServerDependencies) {
  const { db, logger, verifier, directory } = dependencies;
  const settings: ReferralSettings = { ...DEFAULT_SETTINGS, ...dependencies.settings };
  const now = dependencies.now ?? (() => new Date());
  const resolveIdentity = createIdentityResolver(verifier);
  const clientAddress = createClientAddressReader(settings.trustedProxies);
  const instruments = createInstrumentRegistry(settings.outcomeInstruments);
  const services: ReferralServices = {
    directory,
    selfService: createSelfServiceKeys(dependencies.selfServiceKey),
    selfReferralLimiter: createClientLimiter(
      'self-referral',
      settings.selfReferralLimit,
      'Too many self-referrals have been made from here. Please try again later, or ask your GP or a link worker to refer you.',
    ),
    selfServiceLimiter: createClientLimiter('self-service', settings.selfServiceLimit, 'Too many attempts from here. Please try again later.'),
    instruments,
    settings,
    now,
  };
  const dispatcher = createOutboxDispatcher({ db, logger: logger.child({ component: 'outbox' }), sink: dependencies.sink ?? createLogSink(logger.child({ component: 'outbox' })), now });

  /** The background jobs, callable directly (tests, admin tools) as well as on their timers. */
  const jobs = {
    deliverMessages: () => dispatcher.runOnce(),
    recheckActivities: () => recheckPendingActivities({ db, directory, logger, now: now() }),
    eraseExpiredPersonalData: () => eraseExpiredPersonalData({ db, logger, retentionDays: settings.retentionDays, now: now() }),
  };

  const service = createSubgraphHttpService({
    schema: referralSchema,
    logger,
    readiness: async () => {
      await db.$queryRawUnsafe('SELECT 1');
      return { ready: true, checks: { database: { ok: true } } };
    },
    context: async ({ logger: requestLogger, requestId, headers, peerAddress }) => ({
      db,
      logger: requestLogger,
      requestId,
      identity: await resolveIdentity({ headers, logger: requestLogger }),
      clientAddress: clientAddress(peerAddress, headers['x-forwarded-for']),
      services,
      loaders: createReferralLoaders(db, instruments, now),
    }),
  });

  return {
    ...service,
    jobs,
    async listen(port: number, host: string) {
      const running = await service.listen(port, host);
      const tasks = settings.jobs
        ? startBackgroundTasks(
            [
              { name: 'deliver-messages', intervalMs: settings.jobs.outboxIntervalMs, run: jobs.deliverMessages },
              { name: 'recheck-activities', intervalMs: settings.jobs.activityRecheckIntervalMs, run: jobs.recheckActivities },
              { name: 'erase-expired', intervalMs: settings.jobs.retentionIntervalMs, run: jobs.eraseExpiredPersonalData },
            ],
            logger,
          )
        : undefined;
      return {
        ...running,
        async close() {
          await tasks?.stop();
          await running.close();
        },
      };
    },
  };
}
