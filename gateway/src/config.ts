import { z } from 'zod';
import {
  hostVariable,
  loadConfig,
  logLevelVariable,
  nodeEnvVariable,
  portVariable,
  type Env,
} from '@sp/runtime/config';
import { DEFAULT_SUBGRAPH_URLS, type SubgraphName } from './supergraph';

const subgraphUrlVariable = (fallback: string) =>
  z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, such as http://127.0.0.1:4001/graphql' }).default(fallback);

const gatewayEnvironment = z.object({
  GATEWAY_PORT: portVariable(4000),
  GATEWAY_HOST: hostVariable,
  PROVIDER_URL: subgraphUrlVariable(DEFAULT_SUBGRAPH_URLS.provider),
  REFERRAL_URL: subgraphUrlVariable(DEFAULT_SUBGRAPH_URLS.referral),
  EVIDENCE_URL: subgraphUrlVariable(DEFAULT_SUBGRAPH_URLS.evidence),
  LOG_LEVEL: logLevelVariable,
  NODE_ENV: nodeEnvVariable,
});

export interface GatewayConfig {
  port: number;
  host: string;
  subgraphUrls: Record<SubgraphName, string>;
  logLevel: z.infer<typeof logLevelVariable>;
  nodeEnv: z.infer<typeof nodeEnvVariable>;
}

/** Parses the gateway's environment once; throws a ConfigError naming every bad variable. */
export function loadGatewayConfig(env: Env): GatewayConfig {
  const parsed = loadConfig(gatewayEnvironment, env);
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
  };
}
