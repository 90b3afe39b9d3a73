/**
 * Who the client is, by address, when the gateway may sit behind proxies it trusts (a load
 * balancer, or the chat bot calling on behalf of many chat users). The rules (Express's, with
 * `proxy-addr`) live in `@sp/runtime/client-address`, shared with the referral subgraph, which
 * limits the public by the same address.
 */
export {
  compileTrustedProxies,
  createClientAddressResolver,
  PROXY_PRESETS,
  type ClientAddress,
  type ClientAddressResolver,
  type TrustProxy,
} from '@sp/runtime/client-address';
