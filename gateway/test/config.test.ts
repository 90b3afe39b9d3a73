import { describe, expect, it } from 'vitest';
import { ConfigError } from '@sp/runtime/config';
import { loadGatewayConfig } from '../src/config';

describe('loadGatewayConfig', () => {
  it('defaults to 127.0.0.1:4000 and the subgraphs on 4001-4003', () => {
    expect(loadGatewayConfig({})).toEqual({
      port: 4000,
      host: '127.0.0.1',
      subgraphUrls: {
        provider: 'http://127.0.0.1:4001/graphql',
        referral: 'http://127.0.0.1:4002/graphql',
        evidence: 'http://127.0.0.1:4003/graphql',
      },
      logLevel: 'info',
      nodeEnv: 'development',
    });
  });

  it('reads GATEWAY_PORT, GATEWAY_HOST and the subgraph URLs', () => {
    const config = loadGatewayConfig({
      GATEWAY_PORT: '8080',
      GATEWAY_HOST: '0.0.0.0',
      PROVIDER_URL: 'http://provider:4001/graphql',
      REFERRAL_URL: 'https://referral.internal/graphql',
      EVIDENCE_URL: 'http://evidence:4003/graphql',
    });
    expect(config.port).toBe(8080);
    expect(config.host).toBe('0.0.0.0');
    expect(config.subgraphUrls).toEqual({
      provider: 'http://provider:4001/graphql',
      referral: 'https://referral.internal/graphql',
      evidence: 'http://evidence:4003/graphql',
    });
  });

  it('names every bad variable at once', () => {
    const load = () => loadGatewayConfig({ GATEWAY_PORT: '99999', REFERRAL_URL: 'referral:4002', EVIDENCE_URL: 'ftp://x/graphql' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/GATEWAY_PORT/);
    expect(load).toThrow(/REFERRAL_URL: must be an http\(s\) URL/);
    expect(load).toThrow(/EVIDENCE_URL/);
  });
});
