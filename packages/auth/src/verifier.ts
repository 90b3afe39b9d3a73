import { createRemoteJWKSet, jwtVerify, type JWTVerifyOptions, type JWTVerifyResult } from 'jose';
import { z } from 'zod';
import { ErrorCode, userError } from '@sp/runtime/errors';
import {
  DEVELOPMENT_ALGORITHM,
  DEVELOPMENT_AUDIENCE,
  DEVELOPMENT_ISSUER,
  loadDevelopmentKey,
} from './development';
import { identityFromClaims, type UserIdentity } from './identity';

/**
 * Signature algorithms a production identity provider may use. All asymmetric: an HMAC (HS*)
 * algorithm would let anyone holding the public key sign tokens, and `none` signs nothing.
 */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];

/** What common identity providers sign with. */
export const DEFAULT_PRODUCTION_ALGORITHMS: AsymmetricAlgorithm[] = ['RS256', 'ES256', 'EdDSA'];
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;
/** Longer than any token a real identity provider issues; refused before any parsing. */
export const MAX_TOKEN_LENGTH = 8192;

export interface DevelopmentAuthConfig {
  mode: 'development';
  /** The shared key pair; created on first use. */
  keyFile: string;
  clockToleranceSeconds?: number;
}

export interface ProductionAuthConfig {
  mode: 'production';
  /** The identity provider's public keys (HTTPS, or HTTP on the loopback interface only). */
  jwksUrl: string;
  issuer: string;
  audience?: string;
  algorithms?: AsymmetricAlgorithm[];
  clockToleranceSeconds?: number;
}

export type AuthConfig = DevelopmentAuthConfig | ProductionAuthConfig;

export interface TokenVerifier {
  readonly mode: AuthConfig['mode'];
  /** Verifies a bearer token; throws UNAUTHENTICATED when it cannot be trusted. */
  verify(token: string): Promise<UserIdentity>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** True for HTTPS URLs, and for HTTP URLs on this machine (tests, a local identity provider). */
export function isTrustworthyKeysUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
}

const clockTolerance = z.number().int().min(0).max(300).default(DEFAULT_CLOCK_TOLERANCE_SECONDS);

const authConfigSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('development'), keyFile: z.string().min(1), clockToleranceSeconds: clockTolerance }),
  z.object({
    mode: z.literal('production'),
    jwksUrl: z.string().refine(isTrustworthyKeysUrl, 'must be an https:// URL (http:// only on the loopback interface)'),
    issuer: z
      .string()
      .min(1)
      .refine((issuer) => issuer !== DEVELOPMENT_ISSUER, 'must not be the development issuer in production'),
    audience: z.string().min(1).optional(),
    algorithms: z.array(z.enum(ASYMMETRIC_ALGORITHMS)).min(1).default(DEFAULT_PRODUCTION_ALGORITHMS),
    clockToleranceSeconds: clockTolerance,
  }),
]);

/** Why a token was refused, in `extensions.reason`; the message says the same for people. */
export type RefusalReason = 'MALFORMED_HEADER' | 'INVALID_TOKEN' | 'TOKEN_EXPIRED' | 'UNTRUSTED_ISSUER' | 'INVALID_CLAIMS';

const REFUSAL_MESSAGES: Record<RefusalReason, string> = {
  MALFORMED_HEADER: 'The Authorization header must be "Bearer" followed by a sign-in token.',
  INVALID_TOKEN: 'The sign-in token is not valid. Please sign in again.',
  TOKEN_EXPIRED: 'Your sign-in token has expired. Please sign in again.',
  UNTRUSTED_ISSUER: 'The sign-in token was not issued for this service. Please sign in again.',
  INVALID_CLAIMS: 'The sign-in token does not say who you are and what your role is. Please sign in again.',
};

/** The GraphQL error for a refused token: UNAUTHENTICATED, and HTTP 401 when raised before execution. */
export function unauthenticated(reason: RefusalReason) {
  return userError(ErrorCode.UNAUTHENTICATED, REFUSAL_MESSAGES[reason], { reason, http: { status: 401 } });
}

function joseCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = String(error.code);
  return code.startsWith('ERR_JWT') || code.startsWith('ERR_JWS') || code.startsWith('ERR_JWK') || code.startsWith('ERR_JOSE')
    ? code
    : undefined;
}

/**
 * Turns a jose failure into a refusal. Failing to reach or read the identity provider's keys is
 * our problem, not the user's, so it stays an unexpected error (logged, and masked to clients).
 */
function refusalFor(error: unknown, keys: string): Error {
  const code = joseCode(error);
  switch (code) {
    case undefined:
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JWKS_INVALID':
      return new Error(`Could not check a sign-in token against ${keys}.`, { cause: error });
    case 'ERR_JWT_EXPIRED':
      return unauthenticated('TOKEN_EXPIRED');
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED': {
      const claim = (error as { claim?: string }).claim;
      return unauthenticated(claim === 'iss' || claim === 'aud' ? 'UNTRUSTED_ISSUER' : 'INVALID_TOKEN');
    }
    default:
      return unauthenticated('INVALID_TOKEN');
  }
}

/**
 * Creates the verifier a service uses for every request. In development it loads (creating
 * when needed) the machine's development key; in production it fetches the identity provider's
 * key set when first needed, caches it, and refetches when a token names a key it lacks.
 */
export async function createTokenVerifier(config: AuthConfig): Promise<TokenVerifier> {
  const parsed = authConfigSchema.safeParse(config);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'config'}: ${issue.message}`);
    throw new Error(`Invalid authentication configuration: ${problems.join('; ')}`);
  }
  const settings = parsed.data;

  const common: JWTVerifyOptions = { clockTolerance: settings.clockToleranceSeconds, requiredClaims: ['exp'] };
  let verifySignature: (token: string) => Promise<JWTVerifyResult>;
  let keys: string;
  if (settings.mode === 'development') {
    const { publicKey } = await loadDevelopmentKey(settings.keyFile);
    const options: JWTVerifyOptions = {
      ...common,
      algorithms: [DEVELOPMENT_ALGORITHM],
      issuer: DEVELOPMENT_ISSUER,
      audience: DEVELOPMENT_AUDIENCE,
    };
    verifySignature = (token) => jwtVerify(token, publicKey, options);
    keys = `the development key in ${settings.keyFile}`;
  } else {
    const keySet = createRemoteJWKSet(new URL(settings.jwksUrl));
    const options: JWTVerifyOptions = {
      ...common,
      algorithms: [...settings.algorithms],
      issuer: settings.issuer,
      ...(settings.audience !== undefined ? { audience: settings.audience } : {}),
    };
    verifySignature = (token) => jwtVerify(token, keySet, options);
    keys = `the identity provider's keys at ${settings.jwksUrl}`;
  }

  return {
    mode: settings.mode,
    async verify(token: string): Promise<UserIdentity> {
      if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) throw unauthenticated('INVALID_TOKEN');
      let payload: unknown;
      try {
        // jose checks the signature before it looks at any claim.
        ({ payload } = await verifySignature(token));
      } catch (error) {
        throw refusalFor(error, keys);
      }
      const result = identityFromClaims(payload);
      if (!result.ok) throw unauthenticated('INVALID_CLAIMS');
      return result.identity;
    },
  };
}
