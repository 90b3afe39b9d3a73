// The key self-referral secrets are derived from. In production it comes from
// REFERRAL_SELF_SERVICE_KEY; in development it is created on first use in a private file under
// ./data/ (never committed), shared by every referral process on the machine.
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

/** A key given as base64 or hex (at least 32 bytes). */
export function parseSelfServiceKey(text: string): Uint8Array {
  const trimmed = text.trim();
  const bytes = /^[0-9a-fA-F]+$/.test(trimmed) && trimmed.length % 2 === 0 ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (bytes.length < 32) throw new Error('The self-service key must be at least 32 bytes (64 hex digits or 44 base64 characters).');
  return bytes;
}

/** Reads the key file, creating it (readable by its owner only) when it does not exist. */
export async function loadOrCreateSelfServiceKeyFile(file: string): Promise<Uint8Array> {
  try {
    return await readPrivateKeyFile(file);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  // Written whole to a private temporary file, then linked into place: a process that loses the
  // race to create it reads the winner's key, and nobody reads half a key.
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, file);
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
  return readPrivateKeyFile(file);
}

async function readPrivateKeyFile(file: string): Promise<Uint8Array> {
  if (process.platform !== 'win32') {
    const { mode } = await stat(file);
    if ((mode & 0o077) !== 0) throw new Error(`${file} can be read by other users: run chmod 600 on it.`);
  }
  return parseSelfServiceKey(await readFile(file, 'utf8'));
}
