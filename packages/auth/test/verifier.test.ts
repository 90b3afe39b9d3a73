import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { base64url, exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityFromHeaders } from '../src/context';
import { loadDevelopmentKey, signDevelopmentToken } from '../src/development';
import { createTokenVerifier, type TokenVerifier } from '../src/verifier';
import {
  decodePayload,
  PROFESSIONAL_CLAIMS,
  refusal,
  signWithDevelopmentKey,
  temporaryKeyFile,
  withReplacedPayload,
} from './helpers';

const now = () => Math.floor(Date.now() / 1000);

describe('the development verifier', () => {
  let keyFile: string;
  let cleanup: () => Promise<void>;
  let verifier: TokenVerifier;

  beforeAll(async () => {
    ({ keyFile, cleanup } = await temporaryKeyFile());
    verifier = await createTokenVerifier({ mode: 'development', keyFile });
  });
  afterAll(() => cleanup());

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('turns a valid development token into the identity its claims describe', async () => {
    const token = await signDevelopmentToken(keyFile, {
      subject: 'user-1',
      role: 'professional',
      organizationId: 'practice-7',
      profession: 'GP',
    });
    expect(await identityFromHeaders(bearer(token), verifier)).toEqual({
      kind: 'user',
      subject: 'user-1',
      role: 'professional',
      organizationId: 'practice-7',
      profession: 'GP',
    });
    const provider = await signDevelopmentToken(keyFile, { subject: 'p-1', role: 'provider', organizationId: 'org-3' });
    expect(await verifier.verify(provider)).toEqual({ kind: 'user', subject: 'p-1', role: 'provider', organizationId: 'org-3' });
  });

  it('treats a request without a token as the public', async () => {
    expect(await identityFromHeaders({}, verifier)).toEqual({ kind: 'public' });
    expect(await identityFromHeaders(new Headers(), verifier)).toEqual({ kind: 'public' });
  });

  it('reads the header from fetch Headers as well as Node headers, with any case of "Bearer"', async () => {
    const token = await signDevelopmentToken(keyFile, { subject: 'admin-1', role: 'admin' });
    const identity = await identityFromHeaders(new Headers({ Authorization: `bearer ${token}` }), verifier);
    expect(identity).toEqual({ kind: 'user', subject: 'admin-1', role: 'admin' });
  });

  it('refuses an authorization header that is not a bearer token', async () => {
    for (const authorization of ['', 'Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'Bearer a b', 'Bearer <script>']) {
      expect(await refusal(() => identityFromHeaders({ authorization }, verifier))).toMatchObject({
        code: 'UNAUTHENTICATED',
        reason: 'MALFORMED_HEADER',
      });
    }
  });

  it('refuses a bearer token that is garbage', async () => {
    for (const token of ['garbage', 'a.b.c', 'eyJhbGciOiJFZERTQSJ9.e30.AAAA', 'x'.repeat(9000)]) {
      const refused = await refusal(() => identityFromHeaders(bearer(token), verifier));
      expect(refused).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TOKEN' });
      expect(refused.message).toBe('The sign-in token is not valid. Please sign in again.');
    }
  });

  it('refuses an expired token, allowing 30 seconds of clock skew', async () => {
    const expired = await signWithDevelopmentKey(keyFile, PROFESSIONAL_CLAIMS, { expiresAt: now() - 120 });
    expect(await refusal(() => verifier.verify(expired))).toMatchObject({
      code: 'UNAUTHENTICATED',
      reason: 'TOKEN_EXPIRED',
      message: 'Your sign-in token has expired. Please sign in again.',
    });
    const justExpired = await signWithDevelopmentKey(keyFile, PROFESSIONAL_CLAIMS, { expiresAt: now() - 10 });
    expect((await verifier.verify(justExpired)).subject).toBe('user-1');

    const strict = await createTokenVerifier({ mode: 'development', keyFile, clockToleranceSeconds: 0 });
    expect(await refusal(() => strict.verify(justExpired))).toMatchObject({ reason: 'TOKEN_EXPIRED' });
  });

  it('refuses a token without an expiry', async () => {
    const key = await loadDevelopmentKey(keyFile);
    const endless = await new SignJWT(PROFESSIONAL_CLAIMS)
      .setProtectedHeader({ alg: key.algorithm })
      .setIssuer('social-prescribing-dev')
      .setAudience('social-prescribing-hub')
      .sign(key.privateKey);
    expect(await refusal(() => verifier.verify(endless))).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TOKEN' });
  });

  it('refuses a token whose claims were changed after signing', async () => {
    const token = await signDevelopmentToken(keyFile, { subject: 'p-1', role: 'provider', organizationId: 'org-3' });
    const tampered = withReplacedPayload(token, { ...decodePayload(token), role: 'admin' });
    expect(await refusal(() => verifier.verify(tampered))).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TOKEN' });
  });

  it('refuses an unsigned token (alg: none)', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
    const payload = base64url.encode(
      JSON.stringify({ ...PROFESSIONAL_CLAIMS, iss: 'social-prescribing-dev', aud: 'social-prescribing-hub', exp: now() + 600 }),
    );
    for (const token of [`${header}.${payload}.`, `${header}.${payload}.c2lnbmF0dXJl`]) {
      expect(await refusal(() => identityFromHeaders(bearer(token), verifier))).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
  });

  it('refuses an HMAC token keyed with the public key', async () => {
    const { publicKey } = await loadDevelopmentKey(keyFile);
    const publicJwk = await exportJWK(publicKey);
    const forged = await new SignJWT({ ...PROFESSIONAL_CLAIMS, role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('social-prescribing-dev')
      .setAudience('social-prescribing-hub')
      .setExpirationTime('10m')
      .sign(base64url.decode(publicJwk.x ?? ''));
    expect(await refusal(() => verifier.verify(forged))).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TOKEN' });
  });

  it('refuses a token signed by another key', async () => {
    const other = await temporaryKeyFile();
    try {
      const token = await signDevelopmentToken(other.keyFile, { subject: 'admin-1', role: 'admin' });
      expect(await refusal(() => verifier.verify(token))).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TOKEN' });
    } finally {
      await other.cleanup();
    }
  });

  it('refuses a token from another issuer or for another audience', async () => {
    const wrongIssuer = await signWithDevelopmentKey(keyFile, PROFESSIONAL_CLAIMS, { issuer: 'someone-else' });
    expect(await refusal(() => verifier.verify(wrongIssuer))).toMatchObject({
      code: 'UNAUTHENTICATED',
      reason: 'UNTRUSTED_ISSUER',
    });
    const wrongAudience = await signWithDevelopmentKey(keyFile, PROFESSIONAL_CLAIMS, { audience: 'another-service' });
    expect(await refusal(() => verifier.verify(wrongAudience))).toMatchObject({ reason: 'UNTRUSTED_ISSUER' });
  });

  it('refuses claims that do not describe a possible user', async () => {
    const impossible = [
      { ...PROFESSIONAL_CLAIMS, role: 'superuser' },
      { sub: 'user-1', role: 'professional', org: 'practice-7' },
      { ...PROFESSIONAL_CLAIMS, profession: 'WIZARD' },
      { sub: 'p-1', role: 'provider' },
      { sub: 'p-1', role: 'provider', org: 'org-3', profession: 'GP' },
      { role: 'admin' },
      { sub: '', role: 'admin' },
    ];
    for (const claims of impossible) {
      const token = await signWithDevelopmentKey(keyFile, claims);
      expect(await refusal(() => verifier.verify(token))).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_CLAIMS' });
    }
  });

  it('will not sign claims it would refuse', async () => {
    await expect(signDevelopmentToken(keyFile, { subject: 'user-1', role: 'professional' })).rejects.toThrow(/profession/);
    await expect(
      signDevelopmentToken(keyFile, { subject: 'a', role: 'admin' }, { expiresIn: '90d' }),
    ).rejects.toThrow(/at most 30d/);
  });
});

describe('the production verifier', () => {
  const issuer = 'https://identity.example.test/';
  let server: Server;
  let jwksUrl: string;
  let signingKey: CryptoKey;
  let keyFile: string;
  let cleanup: () => Promise<void>;
  let jwksRequests = 0;

  beforeAll(async () => {
    ({ keyFile, cleanup } = await temporaryKeyFile());
    const pair = await generateKeyPair('ES256');
    signingKey = pair.privateKey;
    const jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'idp-key-1', alg: 'ES256', use: 'sig' }] };
    server = createServer((request, response) => {
      jwksRequests += 1;
      if (request.url !== '/.well-known/jwks.json') {
        response.statusCode = 404;
        response.end();
        return;
      }
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(jwks));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await cleanup();
  });

  const signAtIdentityProvider = (claims: Record<string, unknown>, options: { audience?: string; issuer?: string } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'idp-key-1', typ: 'JWT' })
      .setIssuer(options.issuer ?? issuer)
      .setAudience(options.audience ?? 'social-prescribing')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(signingKey);

  it('verifies a token signed with a key from the identity provider’s key set, fetching the set once', async () => {
    const verifier = await createTokenVerifier({ mode: 'production', jwksUrl, issuer, audience: 'social-prescribing' });
    expect(verifier.mode).toBe('production');
    const before = jwksRequests;
    for (let i = 0; i < 3; i += 1) {
      const token = await signAtIdentityProvider({ sub: 'nurse-9', role: 'professional', profession: 'SPECIALIST_NURSE' });
      expect(await identityFromHeaders({ authorization: `Bearer ${token}` }, verifier)).toEqual({
        kind: 'user',
        subject: 'nurse-9',
        role: 'professional',
        profession: 'SPECIALIST_NURSE',
      });
    }
    expect(jwksRequests - before).toBe(1);
  });

  it('refuses a development token, and tokens for another issuer or audience', async () => {
    const verifier = await createTokenVerifier({ mode: 'production', jwksUrl, issuer, audience: 'social-prescribing' });
    const development = await signDevelopmentToken(keyFile, { subject: 'admin-1', role: 'admin' });
    expect(await refusal(() => verifier.verify(development))).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TOKEN' });

    const elsewhere = await signAtIdentityProvider({ sub: 'a', role: 'admin' }, { issuer: 'https://elsewhere.test/' });
    expect(await refusal(() => verifier.verify(elsewhere))).toMatchObject({ reason: 'UNTRUSTED_ISSUER' });
    const otherAudience = await signAtIdentityProvider({ sub: 'a', role: 'admin' }, { audience: 'another-app' });
    expect(await refusal(() => verifier.verify(otherAudience))).toMatchObject({ reason: 'UNTRUSTED_ISSUER' });
  });

  it('refuses algorithms it was not told to accept', async () => {
    const verifier = await createTokenVerifier({ mode: 'production', jwksUrl, issuer, algorithms: ['RS256'] });
    const token = await signAtIdentityProvider({ sub: 'a', role: 'admin' });
    expect(await refusal(() => verifier.verify(token))).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TOKEN' });
  });

  it('treats an unreachable identity provider as its own failure, not the user’s', async () => {
    const verifier = await createTokenVerifier({ mode: 'production', jwksUrl: 'http://127.0.0.1:9/jwks.json', issuer });
    const token = await signAtIdentityProvider({ sub: 'a', role: 'admin' });
    const error = (await verifier.verify(token).then(
      () => undefined,
      (failure: unknown) => failure,
    )) as Error & { extensions?: unknown };
    expect(error).toBeInstanceOf(Error);
    expect(error.extensions).toBeUndefined();
    expect(error.message).toMatch(/identity provider/);
  });

  it('refuses a configuration that would let development keys or weak algorithms in', async () => {
    await expect(createTokenVerifier({ mode: 'production', jwksUrl, issuer: 'social-prescribing-dev' })).rejects.toThrow(
      /development issuer/,
    );
    await expect(
      createTokenVerifier({ mode: 'production', jwksUrl: 'http://identity.example.test/jwks.json', issuer }),
    ).rejects.toThrow(/https/);
    await expect(
      // @ts-expect-error: HS256 is not an accepted algorithm, and the types say so too
      createTokenVerifier({ mode: 'production', jwksUrl, issuer, algorithms: ['HS256'] }),
    ).rejects.toThrow(/algorithms/);
  });
});
