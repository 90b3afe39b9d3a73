import { describe, expect, it } from 'vitest';
import { ConfigError } from '@sp/runtime/config';
import { loadGatewayConfig } from '../src/config';

describe('observability configuration', () => {
  it('serves metrics by default, behind a token when one is set, and not at all when off', () => {
    expect(loadGatewayConfig({}).metrics).toEqual({});
    expect(loadGatewayConfig({ GATEWAY_METRICS: 'on', GATEWAY_METRICS_TOKEN: 'a-long-random-secret' }).metrics).toEqual({
      token: 'a-long-random-secret',
    });
    expect(loadGatewayConfig({ GATEWAY_METRICS: 'OFF', GATEWAY_METRICS_TOKEN: 'a-long-random-secret' }).metrics).toBe(false);
  });

  it('refuses a short metrics token and an unknown GATEWAY_METRICS value, naming both', () => {
    expect(() => loadGatewayConfig({ GATEWAY_METRICS: 'maybe', GATEWAY_METRICS_TOKEN: 'short' })).toThrow(ConfigError);
    expect(() => loadGatewayConfig({ GATEWAY_METRICS: 'maybe', GATEWAY_METRICS_TOKEN: 'short' })).toThrow(
      /GATEWAY_METRICS: must be on or off[\s\S]*GATEWAY_METRICS_TOKEN: must be at least 16 characters/,
    );
  });

  it('traces only when an OTLP endpoint is set, as the service "gateway" unless renamed', () => {
    expect(loadGatewayConfig({}).tracing).toBeUndefined();
    expect(loadGatewayConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).tracing).toEqual({
      tracesUrl: 'http://collector:4318/v1/traces',
      serviceName: 'gateway',
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
    });
    expect(
      loadGatewayConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces', OTEL_SERVICE_NAME: 'gateway-eu' }).tracing
        ?.serviceName,
    ).toBe('gateway-eu');
  });

  it('names a bad OTLP endpoint along with the other bad variables', () => {
    const error = (() => {
      try {
        loadGatewayConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector', GATEWAY_PORT: 'x' });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^ {2}OTEL_EXPORTER_OTLP_ENDPOINT: must be an http\(s\) URL/m);
    expect((error as Error).message).toMatch(/^ {2}GATEWAY_PORT: /m);
  });
});
