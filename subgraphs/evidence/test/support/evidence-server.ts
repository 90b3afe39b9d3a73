// The evidence subgraph on a fresh database (SQLite, or a PostgreSQL schema), listening on port
// 0, with signed tokens for each kind of caller.
import { createTestAuth, type TestAuth } from '@sp/auth/testing';
import { openEvidenceDatabase } from '@sp/prisma/evidence';
import { createTestDatabaseLocation, type TestDatabaseLocation } from '@sp/prisma/testing';
import type { DatabaseKind } from '@sp/prisma/targets';
import { createTestLogger, graphqlRequest, type GraphQLResponse } from '@sp/runtime/testing';
import { createEvidenceServer } from '../../src/server';

export type Caller = 'public' | 'admin' | 'secondAdmin' | 'professional' | 'provider';

export interface EvidenceTestServer {
  url: string;
  database: Awaited<ReturnType<typeof openEvidenceDatabase>>;
  call(caller: Caller, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse>;
  close(): Promise<void>;
}

export async function startEvidenceTestServer(kind: DatabaseKind): Promise<EvidenceTestServer> {
  let auth: TestAuth | undefined;
  let place: TestDatabaseLocation | undefined;
  let database: EvidenceTestServer['database'] | undefined;
  let service: { url: string; close(): Promise<void> } | undefined;
  const close = async () => {
    await service?.close();
    await database?.close();
    await place?.destroy();
    await auth?.destroy();
  };
  try {
    auth = await createTestAuth();
    place = await createTestDatabaseLocation('evidence', kind);
    database = await openEvidenceDatabase(place.location);
    service = await createEvidenceServer({ db: database.client, logger: createTestLogger(), verifier: auth.verifier }).listen(0, '127.0.0.1');
    const headers: Record<Caller, Record<string, string>> = {
      public: {},
      admin: await auth.headersFor({ subject: 'alice', role: 'admin' }),
      secondAdmin: await auth.headersFor({ subject: 'bilal', role: 'admin' }),
      professional: await auth.headersFor({ subject: 'gp-1', role: 'professional', organizationId: 'practice-1', profession: 'GP' }),
      provider: await auth.headersFor({ subject: 'staff-1', role: 'provider', organizationId: 'org-1' }),
    };
    const url = service.url;
    return {
      url,
      database,
      call: (caller, query, variables) => graphqlRequest(url, query, variables, headers[caller]),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The first error's code, for short assertions. */
export const codeOf = (response: GraphQLResponse) => response.errors?.[0]?.extensions?.code;
