/**
 * Who the client is, by address, when a service may sit behind proxies it trusts (a load
 * balancer, the gateway, or the chat bot calling on behalf of many chat users).
 *
 * With Express's rules (the `proxy-addr` package): start from the TCP peer; while the address
 * in hand is a trusted proxy, step one entry back through `X-Forwarded-For`; the first address
 * that is not trusted is the client. With no trusted proxies, the client is always the peer,
 * whatever the header claims.
 */
import { isIPv4 } from 'node:net';
import type { IncomingHttpHeaders } from 'node:http';
import proxyAddr from 'proxy-addr';
import { z } from 'zod';

/** Names `proxy-addr` accepts for well-known ranges. */
export const PROXY_PRESETS = ['loopback', 'linklocal', 'uniquelocal'] as const;

export type TrustProxy = (address: string, hop: number) => boolean;

/**
 * Compiles a list of trusted proxies (addresses, CIDR ranges such as `10.0.0.0/8`, or the presets
 * `loopback`, `linklocal`, `uniquelocal`). Throws a TypeError naming a bad entry.
 */
export function compileTrustedProxies(entries: readonly string[]): TrustProxy {
  if (entries.length === 0) return () => false;
  return proxyAddr.compile([...entries]);
}

/**
 * A setting that lists the proxies to trust, comma separated, checked by proxy-addr: addresses,
 * CIDR ranges, presets, or `none` for none. Unset (or empty) gives undefined, so each service
 * picks its own default. A bad entry fails with a message naming it.
 */
export const trustedProxiesVariable = z.preprocess(
  (value) => (value === '' ? undefined : value),
  z
    .string()
    .transform((value) => value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== ''))
    .transform((entries) => (entries.length === 1 && entries[0] === 'none' ? [] : entries))
    .superRefine((entries, context) => {
      for (const entry of entries) {
        try {
          compileTrustedProxies([entry]);
        } catch {
          context.addIssue({
            code: 'custom',
            message: `"${entry}" is not an IP address, a CIDR range (10.0.0.0/8) or one of ${PROXY_PRESETS.join(', ')} (or use none)`,
          });
        }
      }
    })
    .optional(),
);

export interface ClientAddress {
  /** The client's address: the peer, or the right-most untrusted address of X-Forwarded-For. */
  client: string;
  /**
   * The X-Forwarded-For to send on: whatever came before the client (unchecked claims, kept for
   * information), then the client itself, last. Trusted proxies' own hops are dropped, so the
   * last entry is always the client settled on.
   */
  forwardedFor: string;
}

/** `::ffff:203.0.113.9` (IPv4 on a dual-stack socket) counts as `203.0.113.9`. */
function normalise(address: string): string {
  const mapped = /^::ffff:(.+)$/i.exec(address)?.[1];
  return mapped && isIPv4(mapped) ? mapped : address;
}

export type ClientAddressResolver = (peer: string | undefined, forwardedFor: IncomingHttpHeaders['x-forwarded-for']) => ClientAddress;

/** Resolves the client's address from the TCP peer and the X-Forwarded-For header. */
export function createClientAddressResolver(trustedProxies: readonly string[]): ClientAddressResolver {
  const trust = compileTrustedProxies(trustedProxies);
  return (peer, forwardedFor) => {
    const header = Array.isArray(forwardedFor) ? forwardedFor.join(', ') : (forwardedFor ?? '');
    // proxy-addr reads only these two properties of a request.
    const request = { headers: { 'x-forwarded-for': header }, socket: { remoteAddress: peer ?? 'unknown' } };
    const asRequest = request as unknown as Parameters<typeof proxyAddr.all>[0];
    // Nearest first: [peer, last X-Forwarded-For entry, …, first entry].
    const everyHop = proxyAddr.all(asRequest).map(normalise);
    // Nearest first, up to and including the client.
    const hops = proxyAddr.all(asRequest, trust);
    const client = everyHop[hops.length - 1] as string;
    const kept = everyHop.slice(hops.length - 1).reverse();
    return { client, forwardedFor: kept.join(', ') };
  };
}
