import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { GraphQLError } from 'graphql';

/** The limits every GraphQL request is held to; each refusal carries its own code. */
export interface GatewayLimits {
  /** Deepest selection nesting (fragments flattened). */
  maxDepth: number;
  /** Aliases in one document. */
  maxAliases: number;
  /** Directives in one document. */
  maxDirectives: number;
  /** Lexical tokens in one document: checked while parsing, so a huge document is not parsed in full. */
  maxTokens: number;
  /** Estimated cost (graphql-armor's: objects 2, scalars 1, multiplied by depth). */
  maxCost: number;
  /** Bytes of request body; checked from Content-Length before the body is read. */
  maxBodyBytes: number;
  /** Time one GraphQL request may take, end to end, before it is answered 504. */
  requestTimeoutMs: number;
}

export const DEFAULT_LIMITS: GatewayLimits = {
  maxDepth: 10,
  maxAliases: 15,
  maxDirectives: 50,
  maxTokens: 1_000,
  // Enough for a page of 100 activities with their referral counts and evidence (about 7,400).
  maxCost: 20_000,
  maxBodyBytes: 100_000,
  requestTimeoutMs: 30_000,
};

export const LIMIT_CODES = {
  maxDepth: 'QUERY_TOO_DEEP',
  maxAliases: 'TOO_MANY_ALIASES',
  maxDirectives: 'TOO_MANY_DIRECTIVES',
  maxTokens: 'TOO_MANY_TOKENS',
  maxCost: 'QUERY_TOO_COSTLY',
  maxBodyBytes: 'PAYLOAD_TOO_LARGE',
  requestTimeoutMs: 'REQUEST_TIMEOUT',
} as const satisfies Record<keyof GatewayLimits, string>;

/** Bodies sent without a Content-Length (chunked) are refused with this code and HTTP 411. */
export const LENGTH_REQUIRED = 'LENGTH_REQUIRED';

/**
 * graphql-armor raises plain GraphQL errors; this gives each its code (and HTTP 400) as it is
 * raised, so clients can tell which limit they met. The limit itself is shown in the message.
 */
function coded(code: string) {
  return {
    exposeLimits: true,
    onReject: [
      (_context: unknown, error: GraphQLError) => {
        const extensions = error.extensions as Record<string, unknown>;
        extensions.code = code;
        extensions.http = { status: 400 };
      },
    ],
  };
}

/** The graphql-armor envelop plugins for the document limits. */
export function documentLimitPlugins(limits: GatewayLimits) {
  return [
    maxTokensPlugin({ n: limits.maxTokens, ...coded(LIMIT_CODES.maxTokens) }),
    maxDepthPlugin({ n: limits.maxDepth, flattenFragments: true, ...coded(LIMIT_CODES.maxDepth) }),
    maxAliasesPlugin({ n: limits.maxAliases, ...coded(LIMIT_CODES.maxAliases) }),
    maxDirectivesPlugin({ n: limits.maxDirectives, ...coded(LIMIT_CODES.maxDirectives) }),
    costLimitPlugin({ maxCost: limits.maxCost, ...coded(LIMIT_CODES.maxCost) }),
  ];
}
