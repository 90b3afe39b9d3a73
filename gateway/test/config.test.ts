import { describe, expect, it } from 'vitest';
import { ConfigError } from '@sp/runtime/config';
import { loadGatewayConfig } from '../src/config';
import { DEFAULT_LIMITS } from '../src/limits';

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
      limits: DEFAULT_LIMITS,
      corsOrigins: [],
      rateLimit: { general: { points: 300, windowSeconds: 60 }, selfReferral: { points: 5, windowSeconds: 3600 } },
      trustedProxies: ['loopback'],
      metrics: {},
    });
  });

  it('trusts X-Forwarded-For from loopback by default outside production, from nobody in production', () => {
    expect(loadGatewayConfig({ NODE_ENV: 'test' }).trustedProxies).toEqual(['loopback']);
    expect(loadGatewayConfig({ NODE_ENV: 'production' }).trustedProxies).toEqual([]);
    expect(loadGatewayConfig({ NODE_ENV: 'production', GATEWAY_TRUSTED_PROXIES: '' }).trustedProxies).toEqual([]);
    expect(loadGatewayConfig({ GATEWAY_TRUSTED_PROXIES: 'none' }).trustedProxies).toEqual([]);
    expect(
      loadGatewayConfig({ NODE_ENV: 'production', GATEWAY_TRUSTED_PROXIES: 'loopback, 10.0.0.0/8,2001:db8::1' }).trustedProxies,
    ).toEqual(['loopback', '10.0.0.0/8', '2001:db8::1']);
    expect(() => loadGatewayConfig({ GATEWAY_TRUSTED_PROXIES: 'loopback,lb.internal' })).toThrow(
      /GATEWAY_TRUSTED_PROXIES: "lb\.internal" is not an IP address/,
    );
    expect(() => loadGatewayConfig({ GATEWAY_TRUSTED_PROXIES: 'true' })).toThrow(/GATEWAY_TRUSTED_PROXIES/);
  });

  it('reads the persisted documents manifest and only-mode, off by default', () => {
    expect(loadGatewayConfig({}).persistedDocuments).toBeUndefined();
    expect(loadGatewayConfig({ GATEWAY_PERSISTED_DOCUMENTS: 'partners.json' }).persistedDocuments).toEqual({ path: 'partners.json', only: false });
    expect(
      loadGatewayConfig({ GATEWAY_PERSISTED_DOCUMENTS: 'partners.json', GATEWAY_PERSISTED_DOCUMENTS_ONLY: 'true' }).persistedDocuments,
    ).toEqual({ path: 'partners.json', only: true });
    expect(() => loadGatewayConfig({ GATEWAY_PERSISTED_DOCUMENTS_ONLY: 'true' })).toThrow(
      /GATEWAY_PERSISTED_DOCUMENTS_ONLY: needs GATEWAY_PERSISTED_DOCUMENTS/,
    );
    expect(() => loadGatewayConfig({ GATEWAY_PERSISTED_DOCUMENTS: 'p.json', GATEWAY_PERSISTED_DOCUMENTS_ONLY: 'yes' })).toThrow(
      /GATEWAY_PERSISTED_DOCUMENTS_ONLY: must be true or false/,
    );
  });

  it('reads CORS_ORIGINS as a comma-separated list of origins', () => {
    expect(loadGatewayConfig({ CORS_ORIGINS: 'https://app.example.org, http://localhost:5173/' }).corsOrigins).toEqual([
      'https://app.example.org',
      'http://localhost:5173',
    ]);
    expect(() => loadGatewayConfig({ CORS_ORIGINS: 'app.example.org' })).toThrow(/CORS_ORIGINS/);
  });

  it('reads the rate limits and REDIS_URL', () => {
    const config = loadGatewayConfig({
      REDIS_URL: 'redis://127.0.0.1:6379',
      RATE_LIMIT_POINTS: '100',
      RATE_LIMIT_WINDOW_SECONDS: '10',
      SELF_REFERRAL_RATE_LIMIT_POINTS: '2',
      SELF_REFERRAL_RATE_LIMIT_WINDOW_SECONDS: '600',
    });
    expect(config.rateLimit).toEqual({
      general: { points: 100, windowSeconds: 10 },
      selfReferral: { points: 2, windowSeconds: 600 },
      redisUrl: 'redis://127.0.0.1:6379',
    });
    expect(() => loadGatewayConfig({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(/REDIS_URL/);
  });

  it('reads each limit, and refuses a limit that is not a positive whole number', () => {
    const config = loadGatewayConfig({
      GATEWAY_MAX_DEPTH: '6',
      GATEWAY_MAX_ALIASES: '3',
      GATEWAY_MAX_DIRECTIVES: '4',
      GATEWAY_MAX_TOKENS: '500',
      GATEWAY_MAX_COST: '900',
      GATEWAY_MAX_BODY_BYTES: '2048',
      GATEWAY_REQUEST_TIMEOUT_MS: '1500',
    });
    expect(config.limits).toEqual({
      maxDepth: 6,
      maxAliases: 3,
      maxDirectives: 4,
      maxTokens: 500,
      maxCost: 900,
      maxBodyBytes: 2048,
      requestTimeoutMs: 1500,
    });
    const load = () => loadGatewayConfig({ GATEWAY_MAX_DEPTH: '0', GATEWAY_MAX_COST: 'lots' });
    expect(load).toThrow(/GATEWAY_MAX_DEPTH/);
    expect(load).toThrow(/GATEWAY_MAX_COST/);
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
