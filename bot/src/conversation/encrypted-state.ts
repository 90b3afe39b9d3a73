// Conversation state encrypted at rest. During a referral the state holds a professional's
// bearer token and draft personal details, so what a shared store (Redis) keeps is AES-256-GCM
// ciphertext: whoever can read the store, its snapshots or its replication stream learns nothing,
// and a changed value fails authentication and is treated as missing.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** The format's version, so a later change of algorithm can read (or discard) older values. */
const VERSION = 'v1';

/** Encrypts and decrypts state values; `context` (the storage key) is bound into each one. */
export interface StateCipher {
  seal(plaintext: string, context: string): string;
  /** The plaintext, or undefined when the value is not one this key sealed for this context. */
  open(sealed: string, context: string): string | undefined;
}

/**
 * Reads a 32-byte key written as 64 hex digits or as base64 (base64url too). Throws with a
 * message that says what is expected, never what was given.
 */
export function parseStateKey(text: string): Buffer {
  const trimmed = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : /^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)
      ? Buffer.from(trimmed, 'base64')
      : Buffer.alloc(0);
  if (bytes.length !== KEY_BYTES) {
    throw new Error('must be 32 random bytes, written as 64 hex digits or 44 base64 characters (openssl rand -base64 32)');
  }
  return bytes;
}

/**
 * AES-256-GCM with a fresh random 96-bit nonce per value. A sealed value reads
 * `v1.<base64url of nonce | ciphertext | tag>`. The context is authenticated as additional
 * data, so a value copied to another conversation's key does not open there.
 */
export function createStateCipher(key: Uint8Array): StateCipher {
  if (key.length !== KEY_BYTES) throw new Error(`The state key must be ${KEY_BYTES} bytes.`);
  const secret = Buffer.from(key);
  return {
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, secret, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return `${VERSION}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
    },
    open(sealed, context) {
      const [version, payload, ...rest] = sealed.split('.');
      if (version !== VERSION || payload === undefined || rest.length > 0) return undefined;
      const bytes = Buffer.from(payload, 'base64url');
      if (bytes.length < IV_BYTES + TAG_BYTES) return undefined;
      try {
        const decipher = createDecipheriv(ALGORITHM, secret, bytes.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
        return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        // Wrong key, changed bytes or another context: authentication failed.
        return undefined;
      }
    },
  };
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

async function readPrivateKeyFile(file: string): Promise<Buffer> {
  if (process.platform !== 'win32') {
    const { mode } = await stat(file);
    if ((mode & 0o077) !== 0) throw new Error(`${file} can be read by other users: run chmod 600 on it, or delete it to have a new one made.`);
  }
  try {
    return parseStateKey(await readFile(file, 'utf8'));
  } catch (error) {
    if (errorCode(error) !== undefined) throw error;
    throw new Error(`${file} is not a state key (it ${(error as Error).message}). Delete it to have a new one made.`);
  }
}

/**
 * The development key: read from `file`, or created there first (32 random bytes, base64,
 * readable by its owner only, in a folder only its owner can enter), as the development signing
 * key is. Bot processes on one machine that race to create it all end up with the winner's key.
 */
export async function loadOrCreateStateKeyFile(file: string): Promise<Buffer> {
  try {
    return await readPrivateKeyFile(file);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  // Written whole to a private temporary file, then linked into place: nobody reads half a key.
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, file);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST') return readPrivateKeyFile(file);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'ENOSYS') throw error;
    // A file system without hard links: create exclusively instead.
    await writeFile(file, await readFile(temporary), { mode: 0o600, flag: 'wx' }).catch((failure: unknown) => {
      if (errorCode(failure) !== 'EEXIST') throw failure;
    });
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
  return readPrivateKeyFile(file);
}
