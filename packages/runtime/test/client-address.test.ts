// Who the client is, from the TCP peer and X-Forwarded-For: the rules the gateway and the referral
// subgraph share, the setting that lists the proxies to trust, and the peer the HTTP service hands on.
import { ApolloServer } from '@apollo/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileTrustedProxies, createClientAddressResolver, trustedProxiesVariable } from '../src/client-address';
import { loadConfig } from '../src/config';
import { createGraphQLHttpService, type RequestInfo } from '../src/http';
import { createLogger } from '../src/logger';
import { graphqlRequest } from '../src/testing';

describe('createClientAddressResolver', () => {
  it('steps back through a chain of trusted proxies to the right-most address that is not one', () => {
    // A load balancer (10.0.0.9) in front of the gateway (127.0.0.1), the client behind both.
    const resolve = createClientAddressResolver(['loopback', '10.0.0.0/8']);
    expect(resolve('127.0.0.1', '198.51.100.1, 203.0.113.9, 10.0.0.9')).toEqual({
      client: '203.0.113.9',
      forwardedFor: '198.51.100.1, 203.0.113.9',
    });
    // The chain stops at the first untrusted hop: what lies beyond it is only a claim.
    expect(resolve('127.0.0.1', '203.0.113.9, 192.0.2.4, 10.0.0.9').client).toBe('192.0.2.4');
    // Every hop trusted: the left-most.
    expect(resolve('127.0.0.1', '10.1.1.1, 10.0.0.9').client).toBe('10.1.1.1');
  });

  it('takes the peer as the client when it is not trusted, whatever it claims', () => {
    const resolve = createClientAddressResolver(['loopback', 'linklocal', 'uniquelocal']);
    for (const claim of ['203.0.113.1', '203.0.113.2', '10.0.0.1, 127.0.0.1']) {
      expect(resolve('198.51.100.7', claim).client).toBe('198.51.100.7');
    }
    expect(createClientAddressResolver([])('127.0.0.1', '203.0.113.1').client).toBe('127.0.0.1');
  });

  it('trusts the private ranges when asked: IPv6 loopback and unique-local, IPv4 link-local, mapped IPv4', () => {
    const resolve = createClientAddressResolver(['loopback', 'linklocal', 'uniquelocal']);
    expect(resolve('::1', '203.0.113.9').client).toBe('203.0.113.9');
    expect(resolve('fd00::5', '203.0.113.9').client).toBe('203.0.113.9');
    expect(resolve('169.254.1.1', '2001:db8::7').client).toBe('2001:db8::7');
    expect(resolve('::ffff:192.168.1.4', '203.0.113.9').client).toBe('203.0.113.9');
    expect(compileTrustedProxies(['loopback', 'linklocal', 'uniquelocal'])('203.0.113.9', 0)).toBe(false);
  });
});

describe('trustedProxiesVariable', () => {
  const schema = z.object({ SOME_TRUSTED_PROXIES: trustedProxiesVariable });
  const parse = (value?: string) => loadConfig(schema, value === undefined ? {} : { SOME_TRUSTED_PROXIES: value }).SOME_TRUSTED_PROXIES;

  it('reads a comma list, `none` as none, and unset or empty as unset', () => {
    expect(parse(' loopback, 10.0.0.0/8 ,2001:db8::1')).toEqual(['loopback', '10.0.0.0/8', '2001:db8::1']);
    expect(parse('none')).toEqual([]);
    expect(parse('')).toBeUndefined();
    expect(parse()).toBeUndefined();
  });

  it('names the variable and the entry that is neither an address, a range nor a preset', () => {
    expect(() => parse('loopback,lb.internal')).toThrow(/SOME_TRUSTED_PROXIES: "lb\.internal" is not an IP address/);
    expect(() => parse('none,loopback')).toThrow(/SOME_TRUSTED_PROXIES: "none"/);
  });
});

describe('the peer address in the request info', () => {
  it('is the socket’s address, not anything a header claims', async () => {
    const seen: RequestInfo[] = [];
    const service = createGraphQLHttpService({
      apollo: new ApolloServer({ typeDefs: 'type Query { ok: Boolean! }', resolvers: { Query: { ok: () => true } } }),
      logger: createLogger({ name: 'test', level: 'silent' }),
      readiness: async () => ({ ready: true, checks: {} }),
      context: async (info) => {
        seen.push(info);
        return {};
      },
    });
    const running = await service.listen(0, '127.0.0.1');
    try {
      const result = await graphqlRequest(running.url, '{ ok }', undefined, { 'x-forwarded-for': '203.0.113.9' });
      expect(result.data).toEqual({ ok: true });
      expect(seen.map((info) => info.peerAddress)).toEqual(['127.0.0.1']);
      expect(seen[0]?.headers['x-forwarded-for']).toBe('203.0.113.9');
    } finally {
      await running.close();
    }
  });
});
