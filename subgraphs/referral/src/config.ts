// The referral subgraph's environment, parsed once at start-up by index.ts. A wrong value stops
// the service with a message naming the variable.
import path from 'node:path';
import { z } from 'zod';
import { trustedProxiesVariable } from '@sp/runtime/client-address';
import { hostVariable, loadConfig, logLevelVariable, portVariable, type Env } from '@sp/runtime/config';
import { REPOSITORY_DIR } from '@sp/prisma/targets';
import { KNOWN_INSTRUMENTS } from './domain/outcomes';
import { DEFAULT_SETTINGS, type ReferralSettings } from './settings';

const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);
const whole = (fallback: number, min: number, max: number) =>
  z.preprocess(emptyAsUnset, z.coerce.number().int().min(min).max(max).default(fallback));

const environment = z.object({
  REFERRAL_PORT: portVariable(4002),
  REFERRAL_HOST: hostVariable,
  LOG_LEVEL: logLevelVariable,
  NODE_ENV: z.preprocess(emptyAsUnset, z.string().default('development')),
  DATA_DIR: z.preprocess(emptyAsUnset, z.string().default('data')),
  PROVIDER_URL: z.preprocess(
    emptyAsUnset,
    z.url({ protocol: /^https?$/, error: 'must be the provider subgraph’s http(s) GraphQL URL' }).default('http://127.0.0.1:4001/graphql'),
  ),
  REFERRAL_DIRECTORY_TIMEOUT_MS: whole(1_500, 100, 30_000),
  REFERRAL_SELF_SERVICE_KEY: z.preprocess(emptyAsUnset, z.string().optional()),
  REFERRAL_SELF_SERVICE_KEY_FILE: z.preprocess(emptyAsUnset, z.string().optional()),
  REFERRAL_RETENTION_DAYS: whole(DEFAULT_SETTINGS.retentionDays, 1, 36_500),
  REFERRAL_OUTCOME_INSTRUMENTS: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .default(DEFAULT_SETTINGS.outcomeInstruments.join(','))
      .transform((value) => value.split(',').map((code) => code.trim().toUpperCase()).filter(Boolean))
      .pipe(z.array(z.enum(Object.keys(KNOWN_INSTRUMENTS) as [string, ...string[]], { error: `each must be one of ${Object.keys(KNOWN_INSTRUMENTS).join(', ')}` }))),
  ),
  REFERRAL_SELF_REFERRALS_PER_HOUR: whole(DEFAULT_SETTINGS.selfReferralLimit.perClient, 1, 1_000_000),
  REFERRAL_UNIDENTIFIED_SELF_REFERRALS_PER_HOUR: whole(DEFAULT_SETTINGS.selfReferralLimit.unidentified, 1, 10_000_000),
  REFERRAL_TRUSTED_PROXIES: trustedProxiesVariable,
});

export interface ReferralConfig {
  port: number;
  host: string;
  logLevel: z.infer<typeof logLevelVariable>;
  providerUrl: string;
  directoryTimeoutMs: number;
  /** Exactly one of: the key itself, or a file to read (and in development, create). */
  selfServiceKey: { kind: 'value'; text: string } | { kind: 'file'; file: string; create: boolean };
  settings: ReferralSettings;
}

export function loadReferralConfig(env: Env): ReferralConfig {
  const parsed = loadConfig(environment, env);
  const production = parsed.NODE_ENV === 'production';
  let selfServiceKey: ReferralConfig['selfServiceKey'];
  if (parsed.REFERRAL_SELF_SERVICE_KEY) {
    selfServiceKey = { kind: 'value', text: parsed.REFERRAL_SELF_SERVICE_KEY };
  } else if (parsed.REFERRAL_SELF_SERVICE_KEY_FILE) {
    selfServiceKey = { kind: 'file', file: path.resolve(REPOSITORY_DIR, parsed.REFERRAL_SELF_SERVICE_KEY_FILE), create: !production };
  } else if (production) {
    throw new Error('Invalid configuration:\n  REFERRAL_SELF_SERVICE_KEY: required in production (32 random bytes, base64)');
  } else {
    selfServiceKey = { kind: 'file', file: path.resolve(REPOSITORY_DIR, parsed.DATA_DIR, 'referral-self-service.key'), create: true };
  }
  return {
    port: parsed.REFERRAL_PORT,
    host: parsed.REFERRAL_HOST,
    logLevel: parsed.LOG_LEVEL,
    providerUrl: parsed.PROVIDER_URL,
    directoryTimeoutMs: parsed.REFERRAL_DIRECTORY_TIMEOUT_MS,
    selfServiceKey,
    settings: {
      ...DEFAULT_SETTINGS,
      retentionDays: parsed.REFERRAL_RETENTION_DAYS,
      outcomeInstruments: parsed.REFERRAL_OUTCOME_INSTRUMENTS,
      selfReferralLimit: {
        ...DEFAULT_SETTINGS.selfReferralLimit,
        perClient: parsed.REFERRAL_SELF_REFERRALS_PER_HOUR,
        unidentified: parsed.REFERRAL_UNIDENTIFIED_SELF_REFERRALS_PER_HOUR,
      },
      trustedProxies: parsed.REFERRAL_TRUSTED_PROXIES ?? DEFAULT_SETTINGS.trustedProxies,
    },
  };
}
