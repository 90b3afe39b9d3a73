import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileTrustedProxies, createClientAddressResolver } from '../src/client-address';
import { query, startStack, type Stack } from './support/gateway-harness';

const PROVIDER_ONLY = '{ activity(id: "a1") { id } }';
const from = (forwardedFor: string) => ({ 'x-forwarded-for': forwardedFor });

describe('createClientAddressResolver', () => {
  it('with no trusted proxy, the client is the peer whatever the header claims; the claims stay in front', () => {
    const resolve = createClientAddressResolver([]);
    expect(resolve('127.0.0.1', undefined)).toEqual({ client: '127.0.0.1', forwardedFor: '127.0.0.1' });
    expect(resolve('127.0.0.1', '203.0.113.9')).toEqual({ client: '127.0.0.1', forwardedFor: '203.0.113.9, 127.0.0.1' });
  });

  it('through a trusted peer, the client is the right-most untrusted address of X-Forwarded-For', () => {
    const resolve = createClientAddressResolver(['loopback']);
    expect(resolve('127.0.0.1', '198.51.100.1, 203.0.113.9')).toEqual({
      client: '203.0.113.9',
      forwardedFor: '198.51.100.1, 203.0.113.9',
    });
    // Several trusted hops are stepped over, and dropped from what is sent on.
    const chain = createClientAddressResolver(['loopback', '10.0.0.0/8']);
    expect(chain('127.0.0.1', '203.0.113.9, 10.1.2.3')).toEqual({ client: '203.0.113.9', forwardedFor: '203.0.113.9' });
    // Duplicate headers arrive as a list.
    expect(resolve('127.0.0.1', ['198.51.100.1', '203.0.113.9']).client).toBe('203.0.113.9');
  });

  it('believes nothing from a peer it does not trust', () => {
    const resolve = createClientAddressResolver(['loopback']);
    expect(resolve('198.51.100.7', '203.0.113.9')).toEqual({ client: '198.51.100.7', forwardedFor: '203.0.113.9, 198.51.100.7' });
  });

  it('uses the trusted peer itself when it names no client, and reads IPv4 on a dual-stack socket as IPv4', () => {
    const resolve = createClientAddressResolver(['loopback']);
    expect(resolve('::ffff:127.0.0.1', undefined)).toEqual({ client: '127.0.0.1', forwardedFor: '127.0.0.1' });
    expect(resolve('::ffff:127.0.0.1', '203.0.113.9').client).toBe('203.0.113.9');
  });

  it('rejects an entry that is not an address, a range or a preset', () => {
    expect(() => compileTrustedProxies(['10.0.0.0/8', 'my-proxy'])).toThrow(/my-proxy/);
    expect(() => compileTrustedProxies(['loopback', 'uniquelocal', 'linklocal', '::1', '192.168.1.0/24'])).not.toThrow();
  });
});

describe('rate limits and subgraphs through a trusted proxy', () => {
  let stack: Stack;

  beforeAll(async () => {
    // The test client connects from 127.0.0.1, like the chat bot on the same machine.
    stack = await startStack({ trustedProxies: ['loopback'], rateLimit: { general: { points: 2, windowSeconds: 60 } } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('gives two clients behind the proxy a bucket each', async () => {
    for (let index = 0; index < 2; index++) expect((await query(stack.url, PROVIDER_ONLY, from('203.0.113.1'))).response.status).toBe(200);
    expect((await query(stack.url, PROVIDER_ONLY, from('203.0.113.1'))).response.status).toBe(429);
    expect((await query(stack.url, PROVIDER_ONLY, from('203.0.113.2'))).response.status).toBe(200);
  });

  it('sends subgraphs the resolved client address last', async () => {
    const provider = stack.subgraphs.find((subgraph) => subgraph.name === 'provider')!;
    await query(stack.url, PROVIDER_ONLY, from('198.51.100.1, 203.0.113.3'));
    expect(provider.forwardedFor.at(-1)).toBe('198.51.100.1, 203.0.113.3');
  });
});

describe('rate limits when the peer is not a trusted proxy', () => {
  let stack: Stack;

  beforeAll(async () => {
    // Proxies are configured, but the test client (127.0.0.1) is not one of them.
    stack = await startStack({ trustedProxies: ['10.0.0.0/8'], rateLimit: { general: { points: 2, windowSeconds: 60 } } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('cannot be dodged by claiming other addresses in X-Forwarded-For', async () => {
    expect((await query(stack.url, PROVIDER_ONLY, from('203.0.113.1'))).response.status).toBe(200);
    expect((await query(stack.url, PROVIDER_ONLY, from('203.0.113.2'))).response.status).toBe(200);
    const { response } = await query(stack.url, PROVIDER_ONLY, from('203.0.113.3'));
    expect(response.status).toBe(429);
  });

  it('sends subgraphs the connection address last, after the claims', async () => {
    const provider = stack.subgraphs.find((subgraph) => subgraph.name === 'provider')!;
    // Rate limited by now, so look at what reached the provider before.
    expect(provider.forwardedFor.at(-1)).toBe('203.0.113.2, 127.0.0.1');
  });
});
