import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadConfig, type Env } from '@sp/runtime/config';
import { DEVELOPMENT_ISSUER } from './development';
import {
  ASYMMETRIC_ALGORITHMS,
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  DEFAULT_PRODUCTION_ALGORITHMS,
  isTrustworthyKeysUrl,
  type AuthConfig,
} from './verifier';

export const AUTH_PACKAGE_DIR = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
export const REPOSITORY_DIR = path.resolve(AUTH_PACKAGE_DIR, '..', '..');
/** Under the git-ignored `./data/`, beside the SQLite files. */
export const DEFAULT_DEV_KEY_FILE = path.join(REPOSITORY_DIR, 'data', 'dev-signing-key.json');

/** An empty value counts as unset, so `AUTH_AUDIENCE=` does not mean "an empty audience". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const authEnvironmentSchema = z
  .object({
    NODE_ENV: optional(z.string()),
    AUTH_MODE: optional(z.enum(['development', 'production'])),
    AUTH_DEV_KEY_FILE: optional(z.string()),
    AUTH_JWKS_URL: optional(
      z.string().refine(isTrustworthyKeysUrl, 'must be an https:// URL (http:// only on the loopback interface)'),
    ),
    AUTH_ISSUER: optional(z.string()),
    AUTH_AUDIENCE: optional(z.string()),
    AUTH_ALGORITHMS: optional(
      z
        .string()
        .transform((value) => value.split(',').map((name) => name.trim()).filter(Boolean))
        .pipe(
          z
            .array(z.enum(ASYMMETRIC_ALGORITHMS, { error: `each must be one of ${ASYMMETRIC_ALGORITHMS.join(', ')}` }))
            .min(1, 'must name at least one algorithm'),
        ),
    ),
    AUTH_CLOCK_TOLERANCE_SECONDS: optional(
      z.coerce.number().int('must be a whole number of seconds').min(0).max(300, 'must be at most 300 seconds'),
    ),
  })
  .superRefine((env, context) => {
    const mode = env.AUTH_MODE ?? 'development';
    const require = (variable: keyof typeof env, message: string) =>
      context.addIssue({ code: 'custom', path: [variable], message });
    if (mode === 'production') {
      if (env.AUTH_JWKS_URL === undefined) require('AUTH_JWKS_URL', 'is required when AUTH_MODE is production');
      if (env.AUTH_ISSUER === undefined) require('AUTH_ISSUER', 'is required when AUTH_MODE is production');
      if (env.AUTH_ISSUER === DEVELOPMENT_ISSUER) require('AUTH_ISSUER', 'must not be the development issuer');
      if (env.AUTH_DEV_KEY_FILE !== undefined) {
        require('AUTH_DEV_KEY_FILE', 'is for development only; production never uses a development key');
      }
    } else {
      if (env.NODE_ENV === 'production') {
        require('AUTH_MODE', 'must be production when NODE_ENV is production (development keys are not for production)');
      }
      for (const variable of ['AUTH_JWKS_URL', 'AUTH_ISSUER', 'AUTH_AUDIENCE', 'AUTH_ALGORITHMS'] as const) {
        if (env[variable] !== undefined) require(variable, 'applies only when AUTH_MODE is production');
      }
    }
  });

/**
 * Reads the authentication settings from the environment, failing with a message that names
 * each wrong variable. Development is the default; production needs the identity provider's
 * key set URL and issuer, and refuses anything that would let a development key in.
 */
export function loadAuthConfig(env: Env): AuthConfig {
  const parsed = loadConfig(authEnvironmentSchema, env);
  const clockToleranceSeconds = parsed.AUTH_CLOCK_TOLERANCE_SECONDS ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  if (parsed.AUTH_MODE === 'production') {
    return {
      mode: 'production',
      jwksUrl: parsed.AUTH_JWKS_URL as string,
      issuer: parsed.AUTH_ISSUER as string,
      ...(parsed.AUTH_AUDIENCE !== undefined ? { audience: parsed.AUTH_AUDIENCE } : {}),
      algorithms: parsed.AUTH_ALGORITHMS ?? DEFAULT_PRODUCTION_ALGORITHMS,
      clockToleranceSeconds,
    };
  }
  return {
    mode: 'development',
    keyFile: path.resolve(REPOSITORY_DIR, parsed.AUTH_DEV_KEY_FILE ?? DEFAULT_DEV_KEY_FILE),
    clockToleranceSeconds,
  };
}
