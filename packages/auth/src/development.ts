import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey } from 'jose';
import { z } from 'zod';
import { claimsFromUser, tokenClaimsSchema, type UserClaims } from './identity';

/**
 * Development tokens: signed with a key pair kept in a JSON file on this machine, which every
 * service on the machine shares. The file is created on first use, readable only by its owner,
 * and lives under the git-ignored `./data/`. Production never reads it (see ./config).
 */
export const DEVELOPMENT_ISSUER = 'social-prescribing-dev';
export const DEVELOPMENT_AUDIENCE = 'social-prescribing-hub';
/** Ed25519 signatures; the only algorithm a development verifier accepts. */
export const DEVELOPMENT_ALGORITHM = 'EdDSA';
/** Development tokens last at most this long, so a leaked one does not live for ever. */
export const MAX_DEVELOPMENT_TOKEN_SECONDS = 30 * 24 * 60 * 60;

const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be base64url');

const keyFileSchema = z.object({
  purpose: z.string().optional(),
  algorithm: z.literal(DEVELOPMENT_ALGORITHM),
  keyId: z.string().min(1),
  createdAt: z.string().optional(),
  privateKey: z.object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: base64url, d: base64url }),
  publicKey: z.object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: base64url }),
});

export interface DevelopmentKey {
  keyFile: string;
  keyId: string;
  algorithm: typeof DEVELOPMENT_ALGORITHM;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

async function createKeyFile(keyFile: string): Promise<void> {
  const { privateKey, publicKey } = await generateKeyPair('Ed25519', { extractable: true });
  const privateJwk = await exportJWK(privateKey);
  const publicJwk = await exportJWK(publicKey);
  const contents = {
    purpose: 'Signs development tokens on this machine only. Never use it in production; never commit it.',
    algorithm: DEVELOPMENT_ALGORITHM,
    keyId: await calculateJwkThumbprint(publicJwk),
    createdAt: new Date().toISOString(),
    privateKey: { kty: privateJwk.kty, crv: privateJwk.crv, x: privateJwk.x, d: privateJwk.d },
    publicKey: { kty: publicJwk.kty, crv: publicJwk.crv, x: publicJwk.x },
  };
  const text = `${JSON.stringify(contents, null, 2)}\n`;

  await mkdir(path.dirname(keyFile), { recursive: true, mode: 0o700 });
  // Services start together and may race to create the key. Write a complete private file
  // first, then link it into place: the link fails if another process won, and nobody ever
  // reads a half-written key.
  const temporary = `${keyFile}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, text, { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, keyFile);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST') return;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'ENOSYS') throw error;
    // A file system without hard links: create exclusively instead.
    await writeFile(keyFile, text, { mode: 0o600, flag: 'wx' }).catch((failure: unknown) => {
      if (errorCode(failure) !== 'EEXIST') throw failure;
    });
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

async function readKeyFile(keyFile: string): Promise<z.infer<typeof keyFileSchema>> {
  if (process.platform !== 'win32') {
    const { mode } = await stat(keyFile);
    if ((mode & 0o077) !== 0) {
      throw new Error(
        `The development signing key ${keyFile} can be read by other users. Run \`chmod 600 ${keyFile}\`, or delete it to have a new one made.`,
      );
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(keyFile, 'utf8'));
  } catch {
    throw new Error(`The development signing key ${keyFile} is not valid JSON. Delete it to have a new one made.`);
  }
  const result = keyFileSchema.safeParse(parsed);
  if (!result.success) {
    throw new Error(
      `The development signing key ${keyFile} is not an Ed25519 key pair this platform made. Delete it to have a new one made.`,
    );
  }
  return result.data;
}

/**
 * Loads the development key pair, creating the file first when it does not exist. Every
 * service on the machine calls this with the same path and so shares one key.
 */
export async function loadDevelopmentKey(keyFile: string): Promise<DevelopmentKey> {
  const absolute = path.resolve(keyFile);
  const exists = await stat(absolute).then(
    () => true,
    (error: unknown) => {
      if (errorCode(error) === 'ENOENT') return false;
      throw error;
    },
  );
  if (!exists) await createKeyFile(absolute);
  const contents = await readKeyFile(absolute);
  const [privateKey, publicKey] = await Promise.all([
    importJWK({ ...contents.privateKey, alg: DEVELOPMENT_ALGORITHM }, DEVELOPMENT_ALGORITHM),
    importJWK({ ...contents.publicKey, alg: DEVELOPMENT_ALGORITHM }, DEVELOPMENT_ALGORITHM),
  ]);
  return {
    keyFile: absolute,
    keyId: contents.keyId,
    algorithm: DEVELOPMENT_ALGORITHM,
    privateKey: privateKey as CryptoKey,
    publicKey: publicKey as CryptoKey,
  };
}

const DURATION_PATTERN = /^(\d+)\s*(s|m|h|d)?$/;
const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** Parses a lifetime such as `90s`, `15m`, `8h` or `7d` (a bare number is seconds). */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : undefined;
  const match = DURATION_PATTERN.exec(value.trim());
  if (!match) return undefined;
  const seconds = Number(match[1]) * UNIT_SECONDS[(match[2] ?? 's') as keyof typeof UNIT_SECONDS];
  return seconds > 0 && Number.isSafeInteger(seconds) ? seconds : undefined;
}

export interface SignDevelopmentTokenOptions {
  /** How long the token lasts: `8h`, `30m`, `7d`, or seconds. Eight hours when not given. */
  expiresIn?: string | number;
}

/**
 * Signs a development token for a user. The claims are checked by the same rules the verifier
 * applies, so this never produces a token that would then be refused.
 */
export async function signDevelopmentToken(
  keyFile: string,
  user: UserClaims,
  { expiresIn = '8h' }: SignDevelopmentTokenOptions = {},
): Promise<string> {
  const lifetime = parseDuration(expiresIn);
  if (lifetime === undefined || lifetime > MAX_DEVELOPMENT_TOKEN_SECONDS) {
    throw new Error(`expiresIn must be a duration such as 8h, 30m or 7d, at most 30d (given ${String(expiresIn)}).`);
  }
  const claims = tokenClaimsSchema.safeParse(claimsFromUser(user));
  if (!claims.success) {
    const problems = claims.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Cannot sign a token for these claims: ${problems.join('; ')}.`);
  }
  const key = await loadDevelopmentKey(keyFile);
  const { sub, ...custom } = claims.data;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(custom)
    .setProtectedHeader({ alg: key.algorithm, kid: key.keyId, typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(DEVELOPMENT_ISSUER)
    .setAudience(DEVELOPMENT_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + lifetime)
    .sign(key.privateKey);
}
