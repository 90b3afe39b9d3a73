import type { IncomingMessage } from 'node:http';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { GraphQLError, Kind, type DocumentNode } from 'graphql';
import type { Logger } from '@sp/runtime/logger';

export const RATE_LIMITED = 'RATE_LIMITED';

/** Mutations with their own, stricter limit (per client), detected by root field name. */
export const SELF_REFERRAL_FIELD = 'createSelfReferral';

export interface RateLimitWindow {
  /** Requests allowed per window. */
  points: number;
  windowSeconds: number;
}

export interface RateLimitOptions {
  /** Every GraphQL request. Default 300 per 60 s. */
  general?: RateLimitWindow;
  /** `createSelfReferral` mutations, on top of the general limit. Default 5 per hour. */
  selfReferral?: RateLimitWindow;
  /** Share counts between gateway instances through Redis; in memory (per process) without it. */
  redis?: Redis;
  /** Prefix of the Redis keys. Default `sp-gateway-rl`. */
  keyPrefix?: string;
}

export const DEFAULT_GENERAL_LIMIT: RateLimitWindow = { points: 300, windowSeconds: 60 };
export const DEFAULT_SELF_REFERRAL_LIMIT: RateLimitWindow = { points: 5, windowSeconds: 3_600 };

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

function limiter(window: RateLimitWindow, name: string, options: RateLimitOptions): RateLimiterAbstract {
  const common = { points: window.points, duration: window.windowSeconds, keyPrefix: `${options.keyPrefix ?? 'sp-gateway-rl'}:${name}` };
  return options.redis ? new RateLimiterRedis({ ...common, storeClient: options.redis }) : new RateLimiterMemory(common);
}

export function createRateLimits(options: RateLimitOptions, logger: Logger) {
  const general = limiter(options.general ?? DEFAULT_GENERAL_LIMIT, 'general', options);
  const selfReferral = limiter(options.selfReferral ?? DEFAULT_SELF_REFERRAL_LIMIT, 'self-referral', options);

  async function consume(which: RateLimiterAbstract, key: string): Promise<RateDecision> {
    try {
      await which.consume(key);
      return { allowed: true };
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)) };
      }
      // The store failed (Redis down): let the request through rather than refuse everyone.
      logger.warn({ err: error }, 'rate limit store unavailable; request allowed');
      return { allowed: true };
    }
  }

  return {
    general: (key: string) => consume(general, key),
    selfReferral: (key: string) => consume(selfReferral, key),
  };
}

export type RateLimits = ReturnType<typeof createRateLimits>;

export function rateLimitedMessage(retryAfterSeconds: number) {
  return `Too many requests. Please try again in ${retryAfterSeconds} seconds.`;
}

/** The root field names of the operation that will run (the named one, or the only one). */
export function rootFieldNames(document: DocumentNode, operationName?: string | null): string[] {
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((candidate) => candidate.name?.value === operationName) : operations[0];
  if (!operation) return [];
  const fragments = new Map(
    document.definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [])),
  );
  const names: string[] = [];
  const seen = new Set<string>();
  const visit = (selections: typeof operation.selectionSet.selections) => {
    for (const selection of selections) {
      if (selection.kind === Kind.FIELD) names.push(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet.selections);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) visit(fragment.selectionSet.selections);
      }
    }
  };
  visit(operation.selectionSet.selections);
  return names;
}

/**
 * The envelop plugin for the stricter self-referral limit: after validation, before anything is
 * executed, a mutation with a `createSelfReferral` root field counts against the client's
 * self-referral allowance (the client key was worked out at the edge, per Node request).
 */
export function selfReferralLimitPlugin(limits: RateLimits, clientKeys: WeakMap<IncomingMessage, string>) {
  // Whether a document's operation is a self-referral, worked out once per document and operation
  // name: the runtime's parse cache hands back the same document object for the same query text.
  const isSelfReferralByDocument = new WeakMap<DocumentNode, Map<string, boolean>>();
  function isSelfReferral(document: DocumentNode, operationName?: string | null): boolean {
    let byName = isSelfReferralByDocument.get(document);
    if (!byName) isSelfReferralByDocument.set(document, (byName = new Map()));
    const name = operationName ?? '';
    let answer = byName.get(name);
    if (answer === undefined) byName.set(name, (answer = rootFieldNames(document, operationName).includes(SELF_REFERRAL_FIELD)));
    return answer;
  }

  async function check(contextValue: unknown) {
    const req = (contextValue as { req?: IncomingMessage }).req;
    const key = req ? clientKeys.get(req) : undefined;
    if (!key) return;
    const decision = await limits.selfReferral(key);
    if (decision.allowed) return;
    throw new GraphQLError(rateLimitedMessage(decision.retryAfterSeconds), {
      extensions: {
        code: RATE_LIMITED,
        retryAfterSeconds: decision.retryAfterSeconds,
        http: { status: 429, headers: { 'retry-after': String(decision.retryAfterSeconds) } },
      },
    });
  }

  return {
    // Not `async`: every other operation returns at once, so the runtime does not wait on a promise.
    onExecute({ args }: { args: { document: DocumentNode; operationName?: string | null; contextValue: unknown } }) {
      if (!isSelfReferral(args.document, args.operationName)) return undefined;
      return check(args.contextValue);
    },
  };
}
