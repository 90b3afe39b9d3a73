import { z } from 'zod';
import {
  ConfigError,
  hostVariable,
  loadConfig,
  logLevelVariable,
  nodeEnvVariable,
  portVariable,
  type Env,
} from '@sp/runtime/config';
import { DEFAULT_GENERAL_LIMIT, DEFAULT_SELF_REFERRAL_LIMIT, type RateLimitWindow } from './rate-limit';
import { DEFAULT_LIMITS, type GatewayLimits } from './limits';
import { DEFAULT_SUBGRAPH_URLS, type SubgraphName } from './supergraph';
import { trustedProxiesVariable } from '@sp/runtime/client-address';
import { tracingConfigFrom, tracingVariables, type TracingConfig } from '@sp/runtime/telemetry';

const subgraphUrlVariable = (fallback: string) =>
  z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, such as http://127.0.0.1:4001/graphql' }).default(fallback);

const limitVariable = (fallback: number, max: number) =>
  z.coerce
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1' })
    .max(max, { error: `must be at most ${max}` })
    .default(fallback);

/** `true`/`false` (or `1`/`0`); empty counts as unset. */
const flagVariable = z.preprocess(
  (value) => (value === '' ? undefined : typeof value === 'string' ? value.trim().toLowerCase() : value),
  z
    .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true' || value === '1'),
);

const gatewayEnvironment = z.object({
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== ''))
    .pipe(z.array(z.url({ protocol: /^https?$/, error: 'must list http(s) origins, comma separated, such as https://app.example.org' }))),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  RATE_LIMIT_POINTS: limitVariable(DEFAULT_GENERAL_LIMIT.points, 1_000_000),
  RATE_LIMIT_WINDOW_SECONDS: limitVariable(DEFAULT_GENERAL_LIMIT.windowSeconds, 86_400),
  SELF_REFERRAL_RATE_LIMIT_POINTS: limitVariable(DEFAULT_SELF_REFERRAL_LIMIT.points, 1_000_000),
  SELF_REFERRAL_RATE_LIMIT_WINDOW_SECONDS: limitVariable(DEFAULT_SELF_REFERRAL_LIMIT.windowSeconds, 86_400),
  GATEWAY_MAX_DEPTH: limitVariable(DEFAULT_LIMITS.maxDepth, 100),
  GATEWAY_MAX_ALIASES: limitVariable(DEFAULT_LIMITS.maxAliases, 1_000),
  GATEWAY_MAX_DIRECTIVES: limitVariable(DEFAULT_LIMITS.maxDirectives, 1_000),
  GATEWAY_MAX_TOKENS: limitVariable(DEFAULT_LIMITS.maxTokens, 100_000),
  GATEWAY_MAX_COST: limitVariable(DEFAULT_LIMITS.maxCost, 1_000_000),
  GATEWAY_MAX_BODY_BYTES: limitVariable(DEFAULT_LIMITS.maxBodyBytes, 10_000_000),
  GATEWAY_REQUEST_TIMEOUT_MS: limitVariable(DEFAULT_LIMITS.requestTimeoutMs, 300_000),
  GATEWAY_TRUSTED_PROXIES: trustedProxiesVariable,
  GATEWAY_PERSISTED_DOCUMENTS: z.preprocess((value) => (value === '' ? undefined : value), z.string().optional()),
  GATEWAY_PERSISTED_DOCUMENTS_ONLY: flagVariable,
  GATEWAY_PORT: portVariable(4000),
  GATEWAY_HOST: hostVariable,
  PROVIDER_URL: subgraphUrlVariable(DEFAULT_SUBGRAPH_URLS.provider),
  REFERRAL_URL: subgraphUrlVariable(DEFAULT_SUBGRAPH_URLS.referral),
  EVIDENCE_URL: subgraphUrlVariable(DEFAULT_SUBGRAPH_URLS.evidence),
  LOG_LEVEL: logLevelVariable,
  NODE_ENV: nodeEnvVariable,
  GATEWAY_METRICS: z.preprocess(
    (value) => (value === '' ? undefined : typeof value === 'string' ? value.trim().toLowerCase() : value),
    z.enum(['on', 'off'], { error: 'must be on or off' }).default('on'),
  ),
  GATEWAY_METRICS_TOKEN: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.string().min(16, { error: 'must be at least 16 characters (a random secret)' }).optional(),
  ),
  ...tracingVariables,
});

export interface GatewayConfig {
  port: number;
  host: string;
  subgraphUrls: Record<SubgraphName, string>;
  logLevel: z.infer<typeof logLevelVariable>;
  nodeEnv: z.infer<typeof nodeEnvVariable>;
  limits: GatewayLimits;
  /** Browser origins allowed to call GraphQL (CORS); none by default. */
  corsOrigins: string[];
  rateLimit: { general: RateLimitWindow; selfReferral: RateLimitWindow; redisUrl?: string };
  /**
   * Proxies whose X-Forwarded-For is believed. Default `loopback` outside production (the bot
   * calls from the same machine), none in production.
   */
  trustedProxies: string[];
  /** A manifest file of persisted documents (path as given), and whether only they may run. */
  persistedDocuments?: { path: string; only: boolean };
  /** Prometheus metrics at `/metrics` (optionally behind a bearer token), or false when off. */
  metrics: false | { token?: string };
  /** OpenTelemetry traces, only when an OTLP endpoint is set. */
  tracing?: TracingConfig;
}

/** Parses the gateway's environment once; throws a ConfigError naming every bad variable. */
export function loadGatewayConfig(env: Env): GatewayConfig {
  const parsed = loadConfig(gatewayEnvironment, env);
  if (parsed.GATEWAY_PERSISTED_DOCUMENTS_ONLY && !parsed.GATEWAY_PERSISTED_DOCUMENTS) {
    throw new ConfigError(
      'Invalid configuration:\n  GATEWAY_PERSISTED_DOCUMENTS_ONLY: needs GATEWAY_PERSISTED_DOCUMENTS, the manifest of documents to allow',
    );
  }
  return {
    port: parsed.GATEWAY_PORT,
    host: parsed.GATEWAY_HOST,
    subgraphUrls: {
      provider: parsed.PROVIDER_URL,
      referral: parsed.REFERRAL_URL,
      evidence: parsed.EVIDENCE_URL,
    },
    logLevel: parsed.LOG_LEVEL,
    nodeEnv: parsed.NODE_ENV,
    limits: {
      maxDepth: parsed.GATEWAY_MAX_DEPTH,
      maxAliases: parsed.GATEWAY_MAX_ALIASES,
      maxDirectives: parsed.GATEWAY_MAX_DIRECTIVES,
      maxTokens: parsed.GATEWAY_MAX_TOKENS,
      maxCost: parsed.GATEWAY_MAX_COST,
      maxBodyBytes: parsed.GATEWAY_MAX_BODY_BYTES,
      requestTimeoutMs: parsed.GATEWAY_REQUEST_TIMEOUT_MS,
    },
    corsOrigins: parsed.CORS_ORIGINS.map((origin) => new URL(origin).origin),
    rateLimit: {
      general: { points: parsed.RATE_LIMIT_POINTS, windowSeconds: parsed.RATE_LIMIT_WINDOW_SECONDS },
      selfReferral: { points: parsed.SELF_REFERRAL_RATE_LIMIT_POINTS, windowSeconds: parsed.SELF_REFERRAL_RATE_LIMIT_WINDOW_SECONDS },
      ...(parsed.REDIS_URL ? { redisUrl: parsed.REDIS_URL } : {}),
    },
    trustedProxies: parsed.GATEWAY_TRUSTED_PROXIES ?? (parsed.NODE_ENV === 'production' ? [] : ['loopback']),
    ...(parsed.GATEWAY_PERSISTED_DOCUMENTS
      ? { persistedDocuments: { path: parsed.GATEWAY_PERSISTED_DOCUMENTS, only: parsed.GATEWAY_PERSISTED_DOCUMENTS_ONLY } }
      : {}),
    metrics: parsed.GATEWAY_METRICS === 'off' ? false : parsed.GATEWAY_METRICS_TOKEN ? { token: parsed.GATEWAY_METRICS_TOKEN } : {},
    tracing: tracingConfigFrom(parsed, 'gateway'),
  };
}
