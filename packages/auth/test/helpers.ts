import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { base64url, SignJWT, type JWTPayload } from 'jose';
import { DEVELOPMENT_AUDIENCE, DEVELOPMENT_ISSUER, loadDevelopmentKey } from '../src/development';

/** A temporary directory for a key file, removed by `cleanup`. */
export async function temporaryKeyFile() {
  const dir = await mkdtemp(path.join(tmpdir(), 'sp-auth-'));
  return { dir, keyFile: path.join(dir, 'keys', 'dev-signing-key.json'), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export const PROFESSIONAL_CLAIMS = { sub: 'user-1', role: 'professional', org: 'practice-7', profession: 'GP' };

/**
 * Signs any payload with the development key, bypassing the claim checks of
 * signDevelopmentToken, so tests can build tokens the verifier must refuse.
 */
export async function signWithDevelopmentKey(
  keyFile: string,
  payload: JWTPayload,
  { issuer = DEVELOPMENT_ISSUER, audience = DEVELOPMENT_AUDIENCE, expiresAt }: { issuer?: string; audience?: string; expiresAt?: number } = {},
): Promise<string> {
  const key = await loadDevelopmentKey(keyFile);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(payload)
    .setProtectedHeader({ alg: key.algorithm, kid: key.keyId })
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt(now)
    .setExpirationTime(expiresAt ?? now + 600)
    .sign(key.privateKey);
}

/** The token with its payload replaced but its original header and signature kept. */
export function withReplacedPayload(token: string, payload: Record<string, unknown>): string {
  const [header, , signature] = token.split('.');
  return `${header}.${base64url.encode(JSON.stringify(payload))}.${signature}`;
}

export function decodePayload(token: string): Record<string, unknown> {
  const part = token.split('.')[1] ?? '';
  return JSON.parse(new TextDecoder().decode(base64url.decode(part))) as Record<string, unknown>;
}

/** Runs `action` and returns the GraphQL error code and reason it failed with. */
export async function refusal(action: () => Promise<unknown>): Promise<{ code: unknown; reason: unknown; message: string }> {
  try {
    await action();
  } catch (error) {
    const extensions = (error as { extensions?: Record<string, unknown> }).extensions ?? {};
    return { code: extensions.code, reason: extensions.reason, message: (error as Error).message };
  }
  throw new Error('expected the action to be refused');
}
