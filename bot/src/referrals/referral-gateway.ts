import { z } from 'zod';
import type { Logger } from '@sp/runtime/logger';
import { GatewayError, type GatewayCallOptions, type GatewayClient } from '../search/gateway-client';
import type { CallOptions, CallProblem, CallResult, ReferralDetail, ReferralService, SelfReferralStatus } from './referral-service';

/**
 * Signing in and referring through the gateway. Each call carries the professional's token
 * (when there is one) and the chat user's address; expected failures come back as a problem
 * with the gateway's code. Nothing the person typed, and no token, is logged.
 */

const SIGN_IN = /* GraphQL */ `query BotSignIn { __typename }`;

const CREATE_REFERRAL = /* GraphQL */ `
  mutation BotCreateReferral($input: CreateReferralInput!) {
    createReferral(input: $input) { id status }
  }
`;

const MY_REFERRALS = /* GraphQL */ `
  query BotMyReferrals($first: Int!, $after: String) {
    myReferrals(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id status createdAt activity { name } person { name } } }
    }
  }
`;

// What the chat shows of one referral. The person's name only (shown as initials), never their
// contact details, notes or "what matters to me"; history without its free-text notes.
const REFERRAL_DETAIL = /* GraphQL */ `
  fragment BotReferralDetail on Referral {
    id
    status
    createdAt
    updatedAt
    pathway
    activity { name }
    person { name }
    consents { purpose granted }
    history { at kind toStatus reason }
  }
`;

const REFERRAL = /* GraphQL */ `
  query BotReferral($id: ID!) {
    referral(id: $id) { ...BotReferralDetail }
  }
  ${REFERRAL_DETAIL}
`;

const WITHDRAW_REFERRAL = /* GraphQL */ `
  mutation BotWithdrawReferral($input: UpdateReferralStatusInput!) {
    updateReferralStatus(input: $input) { ...BotReferralDetail }
  }
  ${REFERRAL_DETAIL}
`;

const CREATE_SELF_REFERRAL = /* GraphQL */ `
  mutation BotCreateSelfReferral($input: CreateSelfReferralInput!) {
    createSelfReferral(input: $input) { reference secret status }
  }
`;

const SELF_REFERRAL_STATUS = /* GraphQL */ `
  query BotSelfReferralStatus($reference: String!, $secret: String!) {
    selfReferralStatus(reference: $reference, secret: $secret) { reference status updatedAt activity { name } }
  }
`;

const WITHDRAW_SELF_REFERRAL = /* GraphQL */ `
  mutation BotWithdrawSelfReferral($reference: String!, $secret: String!) {
    withdrawSelfReferral(reference: $reference, secret: $secret) { reference status updatedAt activity { name } }
  }
`;

const status = z.enum(['SENT', 'RECEIVED', 'ACCEPTED', 'ATTENDING', 'COMPLETED', 'DECLINED', 'DID_NOT_ATTEND', 'WITHDRAWN', 'CANCELLED']);

const createdSchema = z.object({ createReferral: z.object({ id: z.string().min(1), status }) });
const mySchema = z.object({
  myReferrals: z.object({
    totalCount: z.number().int(),
    pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
    edges: z.array(
      z.object({
        node: z.object({
          id: z.string(),
          status,
          createdAt: z.string(),
          activity: z.object({ name: z.string() }).nullable(),
          person: z.object({ name: z.string() }).nullable(),
        }),
      }),
    ),
  }),
});
const consentPurpose = z.enum(['SHARE_WITH_PROVIDER', 'FOLLOW_UP_CONTACT', 'TELL_GP_OUTCOME', 'ANONYMISED_RESEARCH']);
const pathwayHop = z.enum(['GP', 'COMMUNITY_LINK_WORKER', 'CONSULTANT', 'SPECIALIST_NURSE', 'SPECIALIST_PHYSIOTHERAPIST', 'ALLIED_HEALTH_PROFESSIONAL', 'THIRD_SECTOR', 'SELF']);
const referralDetail = z.object({
  id: z.string().min(1),
  status,
  createdAt: z.string(),
  updatedAt: z.string(),
  pathway: z.array(pathwayHop),
  // As for a self-referral's status: a missing activity (the directory down) is read as no name.
  activity: z.object({ name: z.string().min(1) }).nullish().catch(null),
  person: z.object({ name: z.string() }).nullable(),
  consents: z.array(z.object({ purpose: consentPurpose, granted: z.boolean() })),
  history: z.array(z.object({ at: z.string(), kind: z.string(), toStatus: status.nullable(), reason: z.string().nullable() })),
});
// `referral` is null when there is none the caller may see.
const referralSchema = z.object({ referral: referralDetail.nullable() });
const withdrawnReferralSchema = z.object({ updateReferralStatus: referralDetail });
const receiptSchema = z.object({ createSelfReferral: z.object({ reference: z.string().min(1), secret: z.string().min(1), status }) });
// The activity's name comes from the provider through the gateway. When the provider does not
// answer, the gateway still returns the status, with `activity: null` and an error: the status is
// what was asked for, so an activity missing or in any other shape is read as no name.
const selfStatus = z.object({
  reference: z.string(),
  status,
  updatedAt: z.string(),
  activity: z.object({ name: z.string().min(1) }).nullish().catch(null),
});
const statusSchema = z.object({ selfReferralStatus: selfStatus });
const withdrawnSchema = z.object({ withdrawSelfReferral: selfStatus });

/** Codes that mean "not now" rather than "not this": the person can try again later. */
const UNAVAILABLE_CODES = new Set(['SUBGRAPH_UNAVAILABLE', 'INTERNAL_SERVER_ERROR', 'REQUEST_TIMEOUT', 'PAYLOAD_TOO_LARGE', 'QUERY_TOO_COSTLY']);

export interface ReferralGatewayOptions {
  gateway: GatewayClient;
  logger: Logger;
  /** How long a call may take; creating a referral checks the directory first. */
  timeoutMs?: number;
}

export function createReferralGateway(options: ReferralGatewayOptions): ReferralService {
  const { gateway } = options;
  const logger = options.logger.child({ component: 'referrals' });
  const timeoutMs = options.timeoutMs ?? 10_000;

  function problemOf(error: GatewayError): CallProblem {
    let code = error.code ?? (error.status === 401 ? 'UNAUTHENTICATED' : error.status === 429 ? 'RATE_LIMITED' : 'UNAVAILABLE');
    if (UNAVAILABLE_CODES.has(code)) code = 'UNAVAILABLE';
    return {
      code,
      ...(error.field ? { field: error.field } : {}),
      ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
    };
  }

  function selfStatusOf(operation: string, answer: z.infer<typeof selfStatus>): SelfReferralStatus {
    const activityName = answer.activity?.name ?? null;
    // Which operation only: the activity's name could say something about the person's health.
    if (activityName === null) logger.info({ operation }, 'answered without the activity name');
    return { reference: answer.reference, status: answer.status, updatedAt: answer.updatedAt, activityName };
  }

  function detailOf(operation: string, answer: z.infer<typeof referralDetail>): ReferralDetail {
    const activityName = answer.activity?.name ?? null;
    if (activityName === null) logger.info({ operation }, 'answered without the activity name');
    return {
      id: answer.id,
      status: answer.status,
      createdAt: answer.createdAt,
      updatedAt: answer.updatedAt,
      activityName,
      personName: answer.person?.name ?? null,
      pathway: answer.pathway,
      consents: answer.consents,
      // Creation and status changes only; consent changes, follow-ups and the like are not a status.
      history: answer.history.flatMap((event) =>
        (event.kind === 'CREATED' || event.kind === 'STATUS_CHANGED') && event.toStatus ? [{ at: event.at, status: event.toStatus, reason: event.reason }] : [],
      ),
    };
  }

  async function call<T>(operation: string, query: string, variables: Record<string, unknown>, schema: z.ZodType<T>, call: CallOptions): Promise<CallResult<T>> {
    const options: GatewayCallOptions = { timeoutMs };
    if (call.token) options.token = call.token;
    if (call.clientAddress) options.clientAddress = call.clientAddress;
    let data: unknown;
    try {
      data = await gateway.request(query, variables, options);
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      const problem = problemOf(error);
      // The kind and code only: the message may name the gateway, never the person.
      const level = problem.code === 'UNAVAILABLE' ? 'warn' : 'info';
      logger[level]({ operation, kind: error.kind, code: problem.code, status: error.status }, 'gateway call refused or failed');
      return { ok: false, problem };
    }
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      logger.warn({ operation }, 'gateway answered in an unexpected shape');
      return { ok: false, problem: { code: 'UNAVAILABLE' } };
    }
    return { ok: true, value: parsed.data };
  }

  return {
    async checkSignIn(options) {
      const result = await call('BotSignIn', SIGN_IN, {}, z.object({ __typename: z.string() }), options);
      return result.ok ? { ok: true, value: undefined } : result;
    },

    async createReferral(input, options) {
      const result = await call('BotCreateReferral', CREATE_REFERRAL, { input }, createdSchema, options);
      return result.ok ? { ok: true, value: result.value.createReferral } : result;
    },

    async myReferrals({ first, after }, options) {
      const result = await call('BotMyReferrals', MY_REFERRALS, after ? { first, after } : { first }, mySchema, options);
      if (!result.ok) return result;
      const { totalCount, pageInfo, edges } = result.value.myReferrals;
      return {
        ok: true,
        value: {
          totalCount,
          nextCursor: pageInfo.hasNextPage ? pageInfo.endCursor : null,
          referrals: edges.map(({ node }) => ({
            id: node.id,
            status: node.status,
            createdAt: node.createdAt,
            activityName: node.activity?.name ?? null,
            personName: node.person?.name ?? null,
          })),
        },
      };
    },

    async referral(id, options) {
      const result = await call('BotReferral', REFERRAL, { id }, referralSchema, options);
      if (!result.ok) return result;
      // Null: there is no referral with that id that this professional may see (the service audits the attempt).
      const found = result.value.referral;
      return found ? { ok: true, value: detailOf('BotReferral', found) } : { ok: false, problem: { code: 'NOT_FOUND' } };
    },

    async withdrawReferral(id, reason, options) {
      const input = { referralId: id, status: 'WITHDRAWN', reason };
      const result = await call('BotWithdrawReferral', WITHDRAW_REFERRAL, { input }, withdrawnReferralSchema, options);
      return result.ok ? { ok: true, value: detailOf('BotWithdrawReferral', result.value.updateReferralStatus) } : result;
    },

    async createSelfReferral(input, options) {
      const result = await call('BotCreateSelfReferral', CREATE_SELF_REFERRAL, { input }, receiptSchema, options);
      return result.ok ? { ok: true, value: result.value.createSelfReferral } : result;
    },

    async selfReferralStatus(reference, secret, options) {
      const result = await call('BotSelfReferralStatus', SELF_REFERRAL_STATUS, { reference, secret }, statusSchema, options);
      return result.ok ? { ok: true, value: selfStatusOf('BotSelfReferralStatus', result.value.selfReferralStatus) } : result;
    },

    async withdrawSelfReferral(reference, secret, options) {
      const result = await call('BotWithdrawSelfReferral', WITHDRAW_SELF_REFERRAL, { reference, secret }, withdrawnSchema, options);
      return result.ok ? { ok: true, value: selfStatusOf('BotWithdrawSelfReferral', result.value.withdrawSelfReferral) } : result;
    },
  };
}
