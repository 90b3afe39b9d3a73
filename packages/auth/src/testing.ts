import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signDevelopmentToken } from './development';
import type { UserClaims } from './identity';
import { createTokenVerifier, type TokenVerifier } from './verifier';

export interface TestAuth {
  verifier: TokenVerifier;
  /** A signed token for the user, as `npm run token` would print. */
  tokenFor(user: UserClaims): Promise<string>;
  /** The `authorization` header for the user. */
  headersFor(user: UserClaims): Promise<Record<string, string>>;
  destroy(): Promise<void>;
}

/** A development key in a temporary folder, and a verifier that trusts it: for tests of other packages. */
export async function createTestAuth(): Promise<TestAuth> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sp-auth-'));
  const keyFile = path.join(dir, 'dev-signing-key.json');
  const verifier = await createTokenVerifier({ mode: 'development', keyFile });
  const tokenFor = (user: UserClaims) => signDevelopmentToken(keyFile, user, { expiresIn: '1h' });
  return {
    verifier,
    tokenFor,
    headersFor: async (user) => ({ authorization: `Bearer ${await tokenFor(user)}` }),
    destroy: () => rm(dir, { recursive: true, force: true }),
  };
}
