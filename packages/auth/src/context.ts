import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from '@sp/runtime/logger';
import { PUBLIC_IDENTITY, type Identity } from './identity';
import { unauthenticated, type TokenVerifier } from './verifier';

/** Node's request headers, or anything with a `get` (fetch `Headers`, Apollo's `HeaderMap`). */
export type HeaderSource = IncomingHttpHeaders | { get(name: string): string | null | undefined };

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

function authorizationHeader(headers: HeaderSource): string | string[] | undefined {
  if (typeof headers.get === 'function') return headers.get('authorization') ?? undefined;
  return (headers as IncomingHttpHeaders).authorization;
}

/**
 * The bearer token in the `authorization` header: undefined when there is no header,
 * UNAUTHENTICATED when there is one that is not `Bearer <token>`.
 */
export function bearerTokenFrom(headers: HeaderSource): string | undefined {
  const value = authorizationHeader(headers);
  if (value === undefined) return undefined;
  const match = typeof value === 'string' ? BEARER.exec(value) : null;
  if (!match?.[1]) throw unauthenticated('MALFORMED_HEADER');
  return match[1];
}

/** Who is asking: the public without a token, the verified user with one. */
export async function identityFromHeaders(headers: HeaderSource, verifier: TokenVerifier): Promise<Identity> {
  const token = bearerTokenFrom(headers);
  return token === undefined ? PUBLIC_IDENTITY : verifier.verify(token);
}

/** The part of `RequestInfo` from @sp/runtime/http that identity needs. */
export interface IdentityRequest {
  headers: HeaderSource;
  logger?: Pick<Logger, 'info'>;
}

/**
 * For a service's `context` function: resolves the request's identity, and logs why a token
 * was refused (the reason only, never the token). A refused token fails the whole request with
 * UNAUTHENTICATED and HTTP 401 rather than quietly treating the caller as the public.
 */
export function createIdentityResolver(verifier: TokenVerifier) {
  return async function resolveIdentity({ headers, logger }: IdentityRequest): Promise<Identity> {
    try {
      return await identityFromHeaders(headers, verifier);
    } catch (error) {
      const extensions = (error as { extensions?: Record<string, unknown> }).extensions;
      if (extensions?.code === 'UNAUTHENTICATED') {
        logger?.info({ reason: extensions.reason }, 'refused a sign-in token');
      }
      throw error;
    }
  };
}
