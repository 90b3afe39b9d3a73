import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@sp/runtime/config';
import { DEFAULT_DEV_KEY_FILE, loadAuthConfig, REPOSITORY_DIR } from '../src/config';

function failure(env: Record<string, string>): string {
  try {
    loadAuthConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('loadAuthConfig', () => {
  it('defaults to development with the key under the repository’s data directory', () => {
    expect(loadAuthConfig({})).toEqual({ mode: 'development', keyFile: DEFAULT_DEV_KEY_FILE, clockToleranceSeconds: 30 });
    expect(DEFAULT_DEV_KEY_FILE).toBe(path.join(REPOSITORY_DIR, 'data', 'dev-signing-key.json'));
    expect(path.basename(REPOSITORY_DIR)).not.toBe('packages');
  });

  it('resolves a relative key file against the repository and reads the clock tolerance', () => {
    expect(loadAuthConfig({ AUTH_DEV_KEY_FILE: 'tmp/key.json', AUTH_CLOCK_TOLERANCE_SECONDS: '5' })).toEqual({
      mode: 'development',
      keyFile: path.join(REPOSITORY_DIR, 'tmp', 'key.json'),
      clockToleranceSeconds: 5,
    });
  });

  it('reads production settings', () => {
    expect(
      loadAuthConfig({
        AUTH_MODE: 'production',
        AUTH_JWKS_URL: 'https://login.example.test/.well-known/jwks.json',
        AUTH_ISSUER: 'https://login.example.test/',
        AUTH_AUDIENCE: 'social-prescribing',
        AUTH_ALGORITHMS: 'RS256, PS256',
        AUTH_DEV_KEY_FILE: '',
      }),
    ).toEqual({
      mode: 'production',
      jwksUrl: 'https://login.example.test/.well-known/jwks.json',
      issuer: 'https://login.example.test/',
      audience: 'social-prescribing',
      algorithms: ['RS256', 'PS256'],
      clockToleranceSeconds: 30,
    });
  });

  it('names what production is missing', () => {
    const message = failure({ AUTH_MODE: 'production' });
    expect(message).toMatch(/AUTH_JWKS_URL: is required/);
    expect(message).toMatch(/AUTH_ISSUER: is required/);
  });

  it('refuses development keys, the development issuer, plain HTTP and HMAC in production', () => {
    const production = { AUTH_MODE: 'production', AUTH_JWKS_URL: 'https://login.example.test/jwks', AUTH_ISSUER: 'https://login.example.test/' };
    expect(failure({ ...production, AUTH_DEV_KEY_FILE: 'data/dev-signing-key.json' })).toMatch(/AUTH_DEV_KEY_FILE: is for development only/);
    expect(failure({ ...production, AUTH_ISSUER: 'social-prescribing-dev' })).toMatch(/AUTH_ISSUER: must not be the development issuer/);
    expect(failure({ ...production, AUTH_JWKS_URL: 'http://login.example.test/jwks' })).toMatch(/AUTH_JWKS_URL: must be an https/);
    expect(failure({ ...production, AUTH_ALGORITHMS: 'HS256' })).toMatch(/AUTH_ALGORITHMS/);
    expect(failure({ ...production, AUTH_ALGORITHMS: 'none' })).toMatch(/AUTH_ALGORITHMS/);
  });

  it('will not run with development keys when NODE_ENV is production', () => {
    expect(failure({ NODE_ENV: 'production' })).toMatch(/AUTH_MODE: must be production/);
  });

  it('refuses unknown modes, production-only settings in development, and silly tolerances', () => {
    expect(failure({ AUTH_MODE: 'staging' })).toMatch(/AUTH_MODE/);
    expect(failure({ AUTH_ISSUER: 'https://login.example.test/' })).toMatch(/AUTH_ISSUER: applies only when AUTH_MODE is production/);
    expect(failure({ AUTH_CLOCK_TOLERANCE_SECONDS: '3600' })).toMatch(/AUTH_CLOCK_TOLERANCE_SECONDS/);
  });
});
