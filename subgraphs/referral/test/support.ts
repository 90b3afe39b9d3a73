// A referral subgraph on a fresh database, with signed-in users for every role and a clock the
// tests can move. Each test file builds one per database kind.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { createTestAuth, type TestAuth } from '@sp/auth/testing';
import type { UserClaims } from '@sp/auth/identity';
import { openReferralDatabase } from '@sp/prisma/referral';
import { createTestDatabaseLocation, type TestDatabaseLocation } from '@sp/prisma/testing';
import type { DatabaseKind } from '@sp/prisma/targets';
import { createLogger } from '@sp/runtime/logger';
import { graphqlRequest, type GraphQLResponse } from '@sp/runtime/testing';
import { createStaticActivityDirectory, type ActivityDirectory } from '../src/domain/directory';
import type { MessageSink } from '../src/domain/outbox';
import { createReferralServer } from '../src/server';
import type { ReferralSettings } from '../src/settings';

export const ORG_A = 'org-scottish-ballet';
export const ORG_B = 'org-age-uk';
/** Runs by ORG_A. */
export const ACTIVITY_A = '5d0c9c3e-4b7a-5b1e-9f0e-111111111111';
/** Also run by ORG_A. */
export const ACTIVITY_A2 = '5d0c9c3e-4b7a-5b1e-9f0e-333333333333';
/** Runs by ORG_B. */
export const ACTIVITY_B = '5d0c9c3e-4b7a-5b1e-9f0e-222222222222';

export const USERS = {
  gp: { subject: 'gp-1', role: 'professional', organizationId: 'practice-1', profession: 'GP' },
  linkWorker: { subject: 'clw-1', role: 'professional', organizationId: 'practice-1', profession: 'COMMUNITY_LINK_WORKER' },
  otherProfessional: { subject: 'gp-9', role: 'professional', organizationId: 'practice-9', profession: 'GP' },
  provider: { subject: 'staff-a', role: 'provider', organizationId: ORG_A },
  otherProvider: { subject: 'staff-b', role: 'provider', organizationId: ORG_B },
  admin: { subject: 'admin-1', role: 'admin' },
} satisfies Record<string, UserClaims>;

export type Who = keyof typeof USERS | 'public';

/** A valid NHS number (the check digit is right). */
export const NHS_NUMBER = '943 476 5919';

export function personInput(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Morag Testperson',
    contactPreference: 'EMAIL',
    email: 'Morag.Testperson@example.org',
    phone: '01382 123456',
    dateOfBirth: '1950-04-02',
    postcodeArea: 'DD1 4HN',
    nhsNumber: NHS_NUMBER,
    gpPracticeCode: 'S12345',
    whatMattersToMe: 'Getting out of the house and dancing again',
    ...overrides,
  };
}

export const ALL_CONSENTS = [
  { purpose: 'SHARE_WITH_PROVIDER', granted: true, method: 'VERBAL' },
  { purpose: 'FOLLOW_UP_CONTACT', granted: true, method: 'VERBAL' },
  { purpose: 'TELL_GP_OUTCOME', granted: true, method: 'VERBAL' },
  { purpose: 'ANONYMISED_RESEARCH', granted: true, method: 'VERBAL' },
];

export function referralInput(overrides: Record<string, unknown> = {}) {
  return { activityId: ACTIVITY_A, person: personInput(), consents: ALL_CONSENTS, ...overrides };
}

export function selfReferralInput(overrides: Record<string, unknown> = {}) {
  return {
    activityId: ACTIVITY_A,
    person: { name: 'Sam Selfreferrer', contactPreference: 'PHONE', phone: '07911 123456', ageYears: 67, postcodeArea: 'G12' },
    consents: [
      { purpose: 'SHARE_WITH_PROVIDER', granted: true },
      { purpose: 'FOLLOW_UP_CONTACT', granted: true },
    ],
    ...overrides,
  };
}

export const REFERRAL_FIELDS = `id status fhirTaskStatus source activityCheck pathway referenceCode
  activity { id }
  referrer { id profession organizationId }
  person { name contactPreference email phone dateOfBirth ageYears postcodeArea nhsNumber gpPracticeCode whatMattersToMe }
  consents { purpose granted method recordedAt recordedByRole recordedBy }
  history { kind fromStatus toStatus reason note snomedCode actorRole actorId }
  messages { recipient status deliveryStatus }
  followUpDueAt dueForFollowUp firstResponseAt closedAt erasedAt ageBand createdAt`;

export const CREATE = `mutation($input: CreateReferralInput!) { createReferral(input: $input) { ${REFERRAL_FIELDS} } }`;
export const READ = `query($id: ID!) { referral(id: $id) { ${REFERRAL_FIELDS} } }`;
export const UPDATE_STATUS = `mutation($input: UpdateReferralStatusInput!) { updateReferralStatus(input: $input) { ${REFERRAL_FIELDS} } }`;
export const CREATE_SELF = `mutation($input: CreateSelfReferralInput!) { createSelfReferral(input: $input) { reference secret status activity { id } createdAt } }`;

export interface Harness {
  url: string;
  db: Awaited<ReturnType<typeof openReferralDatabase>>['client'];
  server: ReturnType<typeof createReferralServer>;
  clock: { now: Date };
  /** Every log line written so far, as text. */
  logs(): string;
  call(who: Who, query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse>;
  /** Creates a referral as the GP (or another professional) and returns its id. */
  refer(input?: Record<string, unknown>, who?: Who): Promise<string>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  directory?: ActivityDirectory;
  sink?: MessageSink;
  settings?: Partial<ReferralSettings>;
}

export async function startHarness(kind: DatabaseKind, options: HarnessOptions = {}): Promise<Harness> {
  const auth: TestAuth = await createTestAuth();
  const place: TestDatabaseLocation = await createTestDatabaseLocation('referral', kind);
  let database = await openReferralDatabase(place.location);
  let logText = '';
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logText += String(chunk);
      if (process.env.TEST_SHOW_LOGS) process.stderr.write(chunk);
      done();
    },
  });
  const logger = createLogger({ name: 'referral-test', level: 'info', destination });
  const clock = { now: new Date() };
  const key = randomBytes(32);
  const directory = options.directory ?? createStaticActivityDirectory({ [ACTIVITY_A]: ORG_A, [ACTIVITY_A2]: ORG_A, [ACTIVITY_B]: ORG_B });
  const headers: Partial<Record<Who, Record<string, string>>> = { public: {} };
  for (const [name, user] of Object.entries(USERS)) headers[name as Who] = await auth.headersFor(user as UserClaims);

  const build = () =>
    createReferralServer({
      db: database.client,
      logger,
      verifier: auth.verifier,
      directory,
      selfServiceKey: key,
      now: () => clock.now,
      settings: { jobs: false, ...options.settings },
      ...(options.sink ? { sink: options.sink } : {}),
    });
  let server = build();
  let running = await server.listen(0, '127.0.0.1');

  const harness: Harness = {
    get url() {
      return running.url;
    },
    get db() {
      return database.client;
    },
    get server() {
      return server;
    },
    clock,
    logs: () => logText,
    call: (who, query, variables, extra = {}) => graphqlRequest(running.url, query, variables, { ...headers[who], ...extra }),
    async refer(input = {}, who = 'gp') {
      const result = await harness.call(who, `mutation($input: CreateReferralInput!) { createReferral(input: $input) { id } }`, {
        input: referralInput(input),
      });
      if (result.errors) throw new Error(`createReferral failed: ${JSON.stringify(result.errors)}`);
      return result.data!.createReferral.id as string;
    },
    async restart() {
      await running.close();
      await database.close();
      database = await openReferralDatabase(place.location);
      server = build();
      running = await server.listen(0, '127.0.0.1');
    },
    async close() {
      await running?.close();
      await database?.close();
      await place?.destroy();
      await auth?.destroy();
    },
  };
  return harness;
}

/** The error code of the first error, or undefined. */
export const codeOf = (result: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => result.errors?.[0]?.extensions?.code;
