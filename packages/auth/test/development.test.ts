import { chmod, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDevelopmentKey, parseDuration, signDevelopmentToken } from '../src/development';
import { createTokenVerifier } from '../src/verifier';
import { decodePayload, temporaryKeyFile } from './helpers';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function keyFileForTest() {
  const temporary = await temporaryKeyFile();
  cleanups.push(temporary.cleanup);
  return temporary;
}

describe('the development key file', () => {
  it('is created on first use, readable by its owner only, and reused afterwards', async () => {
    const { keyFile } = await keyFileForTest();
    const first = await loadDevelopmentKey(keyFile);
    if (process.platform !== 'win32') {
      expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    }
    const contents = await readFile(keyFile, 'utf8');
    expect(JSON.parse(contents)).toMatchObject({ algorithm: 'EdDSA', keyId: first.keyId, publicKey: { crv: 'Ed25519' } });

    const second = await loadDevelopmentKey(keyFile);
    expect(second.keyId).toBe(first.keyId);
    expect(await readFile(keyFile, 'utf8')).toBe(contents);

    // A token signed by one service verifies in another that loads the same file.
    const token = await signDevelopmentToken(keyFile, { subject: 'admin-1', role: 'admin' });
    const verifier = await createTokenVerifier({ mode: 'development', keyFile });
    expect(await verifier.verify(token)).toEqual({ kind: 'user', subject: 'admin-1', role: 'admin' });
  });

  it('ends up with one key when several services create it at once', async () => {
    const { keyFile } = await keyFileForTest();
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadDevelopmentKey(keyFile)));
    expect(new Set(keys.map((key) => key.keyId)).size).toBe(1);
    // No temporary files are left behind by the services that lost the race.
    expect(await readdir(path.dirname(keyFile))).toEqual(['dev-signing-key.json']);
  });

  it.skipIf(process.platform === 'win32')('refuses a key file other users can read', async () => {
    const { keyFile } = await keyFileForTest();
    await loadDevelopmentKey(keyFile);
    await chmod(keyFile, 0o644);
    await expect(loadDevelopmentKey(keyFile)).rejects.toThrow(/chmod 600/);
  });

  it('explains a damaged key file', async () => {
    const { keyFile } = await keyFileForTest();
    await loadDevelopmentKey(keyFile);
    await writeFile(keyFile, '{"not":"a key"}', { mode: 0o600 });
    await expect(loadDevelopmentKey(keyFile)).rejects.toThrow(/Delete it to have a new one made/);
    await writeFile(keyFile, 'not json', { mode: 0o600 });
    await expect(loadDevelopmentKey(keyFile)).rejects.toThrow(/not valid JSON/);
  });
});

describe('development tokens', () => {
  it('carry the platform’s claims, issuer, audience and an expiry', async () => {
    const { keyFile } = await keyFileForTest();
    const before = Math.floor(Date.now() / 1000);
    const token = await signDevelopmentToken(
      keyFile,
      { subject: 'clw-2', role: 'professional', organizationId: 'pcn-1', profession: 'COMMUNITY_LINK_WORKER' },
      { expiresIn: '2h' },
    );
    const payload = decodePayload(token);
    expect(payload).toMatchObject({
      sub: 'clw-2',
      role: 'professional',
      org: 'pcn-1',
      profession: 'COMMUNITY_LINK_WORKER',
      iss: 'social-prescribing-dev',
      aud: 'social-prescribing-hub',
    });
    expect(payload.exp).toBeGreaterThanOrEqual(before + 7200);
    expect(payload.exp).toBeLessThanOrEqual(before + 7201);
  });
});

describe('parseDuration', () => {
  it('reads seconds, minutes, hours and days', () => {
    expect(parseDuration('90')).toBe(90);
    expect(parseDuration('90s')).toBe(90);
    expect(parseDuration('15m')).toBe(900);
    expect(parseDuration('8h')).toBe(28_800);
    expect(parseDuration('7d')).toBe(604_800);
    expect(parseDuration(60)).toBe(60);
  });

  it('rejects anything else', () => {
    for (const value of ['', '0h', '-1h', '1.5h', 'soon', '8 hours', '1w']) expect(parseDuration(value)).toBeUndefined();
    expect(parseDuration(0)).toBeUndefined();
    expect(parseDuration(1.5)).toBeUndefined();
  });
});
