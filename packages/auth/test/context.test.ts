import { Writable } from 'node:stream';
import { ApolloServer } from '@apollo/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createErrorFormatter } from '@sp/runtime/errors';
import { createGraphQLHttpService, type RunningService } from '@sp/runtime/http';
import { createLogger } from '@sp/runtime/logger';
import { graphqlRequest } from '@sp/runtime/testing';
import { requireRole } from '../src/authorisation';
import { createIdentityResolver } from '../src/context';
import { signDevelopmentToken } from '../src/development';
import type { Identity } from '../src/identity';
import { createTokenVerifier } from '../src/verifier';
import { signWithDevelopmentKey, temporaryKeyFile } from './helpers';

/** A service wired the way a subgraph's `context` function will use the resolver. */
describe('identity in a GraphQL service', () => {
  let keyFile: string;
  let cleanup: () => Promise<void>;
  let service: RunningService;
  const lines: string[] = [];

  beforeAll(async () => {
    ({ keyFile, cleanup } = await temporaryKeyFile());
    const destination = new Writable({
      write(chunk, _encoding, callback) {
        lines.push(String(chunk));
        callback();
      },
    });
    const logger = createLogger({ name: 'auth-test', level: 'info', destination });
    const resolveIdentity = createIdentityResolver(await createTokenVerifier({ mode: 'development', keyFile }));
    const apollo = new ApolloServer<{ identity: Identity }>({
      typeDefs: 'type Query { whoAmI: String! adminOnly: String! }',
      resolvers: {
        Query: {
          whoAmI: (_parent, _args, { identity }) => (identity.kind === 'user' ? `${identity.role}:${identity.subject}` : 'public'),
          adminOnly: (_parent, _args, { identity }) => requireRole(identity, 'admin').subject,
        },
      },
      formatError: createErrorFormatter(logger),
    });
    service = await createGraphQLHttpService({
      apollo,
      logger,
      readiness: async () => ({ ready: true, checks: {} }),
      context: async (request) => ({ identity: await resolveIdentity(request) }),
    }).listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await service.close();
    await cleanup();
  });

  it('serves the public without a token and the user with one', async () => {
    expect((await graphqlRequest(service.url, '{ whoAmI }')).data).toEqual({ whoAmI: 'public' });
    const token = await signDevelopmentToken(keyFile, { subject: 'p-1', role: 'provider', organizationId: 'org-3' });
    const response = await graphqlRequest(service.url, '{ whoAmI }', undefined, { authorization: `Bearer ${token}` });
    expect(response.data).toEqual({ whoAmI: 'provider:p-1' });
  });

  it('answers a refused token with 401 and UNAUTHENTICATED, logging the reason but not the token', async () => {
    const expired = await signWithDevelopmentKey(
      keyFile,
      { sub: 'a', role: 'admin' },
      { expiresAt: Math.floor(Date.now() / 1000) - 600 },
    );
    const response = await graphqlRequest(service.url, '{ whoAmI }', undefined, { authorization: `Bearer ${expired}` });
    expect(response.status).toBe(401);
    expect(response.data ?? null).toBeNull();
    expect(response.errors).toEqual([
      {
        message: 'Your sign-in token has expired. Please sign in again.',
        extensions: { code: 'UNAUTHENTICATED', reason: 'TOKEN_EXPIRED' },
      },
    ]);
    const logged = lines.join('');
    expect(logged).toMatch(/refused a sign-in token/);
    expect(logged).not.toContain(expired.split('.')[2]);
  });

  it('forbids a signed-in user whose role does not allow the field', async () => {
    const token = await signDevelopmentToken(keyFile, { subject: 'p-1', role: 'provider', organizationId: 'org-3' });
    const response = await graphqlRequest(service.url, '{ adminOnly }', undefined, { authorization: `Bearer ${token}` });
    expect(response.status).toBe(200);
    expect(response.errors?.[0]).toMatchObject({ message: 'Only an administrator can do this.', extensions: { code: 'FORBIDDEN' } });
  });
});
