import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FixtureActivity } from './activities';
import { fakeSearch } from './fake-gateway';

/**
 * A real HTTP server standing in for the gateway with the referral service behind it: search,
 * the directory's places, sign-in checks, referrals (listed a page at a time with the service's
 * cursors, read one by one with `referral(id)`, withdrawn with `updateReferralStatus`),
 * self-referrals and their status, with the gateway's error shapes (401 UNAUTHENTICATED, 429 RATE_LIMITED with Retry-After, codes in
 * `extensions`). Tokens are accepted when their signature part is "signed" and they have not
 * expired. It records every request with the headers the bot sent.
 */

export interface HubRequest {
  operation: string;
  variables: Record<string, unknown>;
  authorization?: string;
  forwardedFor?: string;
}

export interface StoredReferral {
  id: string;
  source: 'PROFESSIONAL' | 'SELF';
  subject: string | null;
  /** The referrer's organisation (the token's `org`): colleagues there may see and withdraw it too. */
  organizationId?: string | null;
  input: Record<string, unknown>;
  reference?: string;
  secret?: string;
  /** SENT for a professional's referral, RECEIVED for a self-referral, until it moves on. */
  status?: string;
  createdAt: string;
  updatedAt?: string;
  /** A professional's referral: its status changes, as `Referral.history` gives them. */
  history?: Array<{ at: string; kind: string; toStatus: string; reason: string | null }>;
}

type Answer = { status: number; body: unknown; headers?: Record<string, string> } | 'slow';

export interface FakeHub {
  url: string;
  requests: HubRequest[];
  referrals: StoredReferral[];
  /** The next requests for this operation get these answers, in order. */
  answerNext(operation: string, ...answers: Answer[]): void;
  /**
   * While true, the directory (provider) "does not answer": a self-referral's status comes back
   * as the real gateway sends it then, with `activity: null` and a SUBGRAPH_UNAVAILABLE error.
   */
  providerDown: boolean;
  close(): Promise<void>;
}

const error = (status: number, code: string, message: string, extensions: Record<string, unknown> = {}) => ({
  status,
  body: { errors: [{ message, extensions: { code, ...extensions } }] },
});

function claimsOf(authorization: string | undefined): Record<string, unknown> | null | undefined {
  if (!authorization) return undefined;
  const token = authorization.replace(/^Bearer /, '');
  const [, payload, signature] = token.split('.');
  if (!payload || signature !== 'signed') return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    return typeof claims.exp === 'number' && claims.exp * 1000 > Date.now() ? claims : null;
  } catch {
    return null;
  }
}

async function readJson(request: IncomingMessage): Promise<{ query?: string; variables?: Record<string, unknown> }> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query?: string; variables?: Record<string, unknown> };
}

export async function startFakeHub(options: { activities: FixtureActivity[]; postcodes?: Record<string, string>; slowMs?: number }): Promise<FakeHub> {
  const requests: HubRequest[] = [];
  const referrals: StoredReferral[] = [];
  const queued = new Map<string, Answer[]>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const postcodes = options.postcodes ?? {};
  const hub: FakeHub = {
    url: '',
    requests,
    referrals,
    providerDown: false,
    answerNext(operation, ...answers) {
      queued.set(operation, [...(queued.get(operation) ?? []), ...answers]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };

  /** A self-referral's status with its activity's name, or, with the provider down, the gateway's partial answer. */
  function selfStatusAnswer(field: 'selfReferralStatus' | 'withdrawSelfReferral', found: StoredReferral) {
    const name = options.activities.find((activity) => activity.id === found.input.activityId)?.name;
    const status = { reference: found.reference, status: found.status, updatedAt: found.updatedAt ?? found.createdAt };
    if (hub.providerDown) {
      const message = 'The provider service is unavailable right now, so part of this request could not be answered. Please try again later.';
      const errors = [{ message, path: [field, 'activity'], extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'provider' } }];
      return { status: 200, body: { data: { [field]: { ...status, activity: null } }, errors } };
    }
    return { status: 200, body: { data: { [field]: { ...status, activity: name ? { name } : null } } } };
  }

  const activityName = (referral: StoredReferral) => options.activities.find((activity) => activity.id === referral.input.activityId)?.name;
  // Relay cursors as Pothos's Prisma connections make them: opaque to the client.
  const cursorOf = (id: string) => Buffer.from(`GPC:S:${id}`).toString('base64');

  /** As the referral service's `partIn`: the professional who made it, or their organisation. */
  function isReferrer(referral: StoredReferral, claims: Record<string, unknown>): boolean {
    if (referral.source !== 'PROFESSIONAL' || claims.role !== 'professional') return false;
    return referral.subject === claims.sub || (typeof claims.org === 'string' && referral.organizationId === claims.org);
  }

  /** `Referral` with the fields the bot asks for; with the provider down, the gateway's partial answer. */
  function referralNode(referral: StoredReferral) {
    const input = referral.input as { pathway?: string[]; person: { name: string }; consents?: Array<{ purpose: string; granted: boolean }> };
    const history = referral.history ?? [];
    return {
      id: referral.id,
      status: referral.status,
      createdAt: referral.createdAt,
      updatedAt: referral.updatedAt ?? referral.createdAt,
      pathway: input.pathway ?? ['GP'],
      activity: hub.providerDown ? null : { name: activityName(referral) ?? 'Unknown' },
      person: { name: input.person.name },
      consents: (input.consents ?? []).map(({ purpose, granted }) => ({ purpose, granted })),
      history: history.map(({ at, kind, toStatus, reason }) => ({ at, kind, toStatus, reason })),
    };
  }

  function withProvider(field: string, node: ReturnType<typeof referralNode>) {
    if (!hub.providerDown) return { status: 200, body: { data: { [field]: node } } };
    const message = 'The provider service is unavailable right now, so part of this request could not be answered. Please try again later.';
    return { status: 200, body: { data: { [field]: node }, errors: [{ message, path: [field, 'activity'], extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'provider' } }] } };
  }

  function handle(operation: string, variables: Record<string, unknown>, claims: Record<string, unknown> | undefined): { status: number; body: unknown; headers?: Record<string, string> } {
    switch (operation) {
      case 'BotReadiness':
      case 'BotSignIn':
        return { status: 200, body: { data: { __typename: 'Query' } } };
      case 'BotSearch':
        return { status: 200, body: { data: { searchActivities: fakeSearch(options.activities, String(variables.query), Number(variables.first)) } } };
      case 'BotPlaces': {
        const first = Number(variables.first);
        const start = variables.after ? Number(variables.after) : 0;
        const page = options.activities.slice(start, start + first);
        const end = start + page.length;
        return {
          status: 200,
          body: {
            data: {
              activities: {
                pageInfo: { hasNextPage: end < options.activities.length, endCursor: String(end) },
                edges: page.map((activity) => ({
                  node: {
                    town: activity.town,
                    area: activity.area,
                    venues: activity.town
                      ? [{ location: { city: activity.town, postalCode: postcodes[activity.town] ?? null, healthBoard: activity.area, localAuthority: null } }]
                      : [],
                  },
                })),
              },
            },
          },
        };
      }
      case 'BotCreateReferral': {
        if (!claims) return error(200, 'UNAUTHENTICATED', 'Sign in to make a referral.');
        if (claims.role !== 'professional') return error(200, 'FORBIDDEN', 'Only professionals can make referrals.');
        const input = variables.input as { idempotencyKey: string; person: { email?: string }; consents: Array<{ purpose: string; granted: boolean }> };
        if (!input.consents.some((consent) => consent.purpose === 'SHARE_WITH_PROVIDER' && consent.granted)) {
          return error(200, 'CONSENT_REQUIRED', 'Consent to share with the provider is required.');
        }
        if (input.person.email !== undefined && !input.person.email.endsWith('.org')) {
          return error(200, 'INVALID_EMAIL', 'The email address is not valid.', { field: 'person.email' });
        }
        const existing = referrals.find((referral) => referral.input.idempotencyKey === input.idempotencyKey && referral.subject === claims.sub);
        const createdAt = new Date(Date.now() + referrals.length).toISOString();
        const referral: StoredReferral = existing ?? {
          id: `referral-${referrals.length + 1}`,
          source: 'PROFESSIONAL' as const,
          subject: String(claims.sub),
          organizationId: typeof claims.org === 'string' ? claims.org : null,
          input,
          status: 'SENT',
          createdAt,
          history: [{ at: createdAt, kind: 'CREATED', toStatus: 'SENT', reason: null }],
        };
        if (!existing) referrals.push(referral);
        return { status: 200, body: { data: { createReferral: { id: referral.id, status: 'SENT' } } } };
      }
      case 'BotMyReferrals': {
        if (!claims) return error(200, 'UNAUTHENTICATED', 'Sign in to see referrals.');
        // A professional's own caseload, newest first; `after` is the cursor of the last one seen.
        const mine = referrals.filter((referral) => referral.source === 'PROFESSIONAL' && referral.subject === claims.sub).reverse();
        const start = typeof variables.after === 'string' ? mine.findIndex((referral) => cursorOf(referral.id) === variables.after) + 1 : 0;
        const page = mine.slice(start, start + Number(variables.first ?? 20));
        return {
          status: 200,
          body: {
            data: {
              myReferrals: {
                totalCount: mine.length,
                // Only the fields the bot selects, as GraphQL answers.
                pageInfo: { hasNextPage: start + page.length < mine.length, endCursor: page.at(-1) ? cursorOf(page.at(-1)!.id) : null },
                edges: page.map((referral) => ({
                  node: {
                    id: referral.id,
                    status: referral.status,
                    createdAt: referral.createdAt,
                    activity: { name: activityName(referral) ?? 'Unknown' },
                    person: { name: (referral.input.person as { name: string }).name },
                  },
                })),
              },
            },
          },
        };
      }
      case 'BotReferral': {
        // `referral` is nullable: refused sign-in is an error beside a null field; one the caller
        // may not see is null (the service audits the attempt).
        if (!claims) return { status: 200, body: { data: { referral: null }, errors: [{ message: 'Sign in first.', path: ['referral'], extensions: { code: 'UNAUTHENTICATED' } }] } };
        const found = referrals.find((referral) => referral.id === variables.id);
        if (!found || !isReferrer(found, claims)) return { status: 200, body: { data: { referral: null } } };
        return withProvider('referral', referralNode(found));
      }
      case 'BotWithdrawReferral': {
        if (!claims) return error(200, 'UNAUTHENTICATED', 'Sign in first.');
        const input = variables.input as { referralId: string; status: string; reason?: string };
        const withdrawalReasons = ['PERSON_DECLINED', 'NO_LONGER_NEEDED', 'REFERRED_ELSEWHERE', 'OTHER'];
        if (input.status === 'WITHDRAWN' && !input.reason) return error(200, 'REASON_REQUIRED', 'Moving a referral to WITHDRAWN needs a reason.', { field: 'reason' });
        if (input.status === 'WITHDRAWN' && !withdrawalReasons.includes(input.reason!)) {
          return error(200, 'REASON_NOT_ALLOWED', `${input.reason} is not a reason for WITHDRAWN.`, { field: 'reason' });
        }
        const found = referrals.find((referral) => referral.id === input.referralId && referral.source === 'PROFESSIONAL');
        if (!found || !isReferrer(found, claims)) return error(200, 'NOT_FOUND', 'There is no referral with that id that you can see.', { field: 'referralId' });
        const from = found.status ?? 'SENT';
        if (input.status !== 'WITHDRAWN' || !['SENT', 'RECEIVED', 'ACCEPTED', 'ATTENDING'].includes(from)) {
          return error(200, 'INVALID_STATUS_TRANSITION', `A referral that is ${from} cannot become ${input.status}.`, { from, to: input.status });
        }
        const at = new Date().toISOString();
        found.status = 'WITHDRAWN';
        found.updatedAt = at;
        found.history = [...(found.history ?? []), { at, kind: 'STATUS_CHANGED', toStatus: 'WITHDRAWN', reason: input.reason ?? null }];
        return withProvider('updateReferralStatus', referralNode(found));
      }
      case 'BotCreateSelfReferral': {
        const input = variables.input as { idempotencyKey: string };
        const existing = referrals.find((referral) => referral.source === 'SELF' && referral.input.idempotencyKey === input.idempotencyKey);
        const number = referrals.length + 1;
        const referral = existing ?? {
          id: `referral-${number}`,
          source: 'SELF' as const,
          subject: null,
          input,
          reference: `SP-4K7QX-M2D9${'BCDEFGHJK'[number % 9]}`,
          secret: `SECRT-${String(number).padStart(5, '0')}-ABCDE-FGHJK`,
          status: 'RECEIVED',
          createdAt: new Date().toISOString(),
        };
        if (!existing) referrals.push(referral);
        return { status: 200, body: { data: { createSelfReferral: { reference: referral.reference, secret: referral.secret, status: 'SENT' } } } };
      }
      case 'BotSelfReferralStatus': {
        const found = referrals.find((referral) => referral.reference === variables.reference && referral.secret === variables.secret);
        if (!found) return error(200, 'NOT_FOUND', 'No referral matches that reference and secret.');
        return selfStatusAnswer('selfReferralStatus', found);
      }
      case 'BotWithdrawSelfReferral': {
        // As the referral service: NOT_FOUND whichever was wrong; only an open referral can be withdrawn.
        const found = referrals.find((referral) => referral.reference === variables.reference && referral.secret === variables.secret);
        if (!found) return error(200, 'NOT_FOUND', 'No referral matches that reference and secret.');
        if (!['SENT', 'RECEIVED', 'ACCEPTED', 'ATTENDING'].includes(found.status ?? '')) {
          return error(200, 'INVALID_STATUS_TRANSITION', `A referral that is ${found.status} cannot become WITHDRAWN.`, { from: found.status, to: 'WITHDRAWN' });
        }
        found.status = 'WITHDRAWN';
        found.updatedAt = new Date().toISOString();
        return selfStatusAnswer('withdrawSelfReferral', found);
      }
      default:
        return error(400, 'GRAPHQL_VALIDATION_FAILED', `Unknown operation ${operation}`);
    }
  }

  const server: Server = createServer((request, response) => {
    const send = (answer: { status: number; body: unknown; headers?: Record<string, string> }) => {
      response.statusCode = answer.status;
      response.setHeader('content-type', 'application/json');
      for (const [name, value] of Object.entries(answer.headers ?? {})) response.setHeader(name, value);
      response.end(JSON.stringify(answer.body));
    };
    readJson(request)
      .then((body) => {
        const query = body.query ?? '';
        const operation = /(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? (query.includes('searchActivities') ? 'BotSearch' : 'anonymous');
        const authorization = request.headers.authorization;
        const forwardedFor = request.headers['x-forwarded-for'];
        requests.push({
          operation,
          variables: body.variables ?? {},
          ...(authorization ? { authorization } : {}),
          ...(typeof forwardedFor === 'string' ? { forwardedFor } : {}),
        });
        const claims = claimsOf(authorization);
        // The gateway refuses a token it cannot verify before anything else, with HTTP 401.
        if (claims === null) return send(error(401, 'UNAUTHENTICATED', 'The token could not be verified.', { reason: 'INVALID_TOKEN' }));
        const next = queued.get(operation)?.shift();
        if (next === 'slow') {
          const timer = setTimeout(() => {
            timers.delete(timer);
            send(handle(operation, body.variables ?? {}, claims));
          }, options.slowMs ?? 2_000);
          timers.add(timer);
          return;
        }
        send(next ?? handle(operation, body.variables ?? {}, claims));
      })
      .catch(() => send({ status: 400, body: { errors: [{ message: 'Bad request' }] } }));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  hub.url = `http://127.0.0.1:${port}/graphql`;
  return hub;
}
