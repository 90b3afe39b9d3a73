import { z } from 'zod';
import { hostVariable, logLevelVariable, portVariable } from '@sp/runtime/config';

/** The bot's environment. Only index.ts reads `process.env`, through this schema. */
export const botConfigSchema = z.object({
  BOT_PORT: portVariable(3000),
  BOT_HOST: hostVariable,
  GATEWAY_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://127.0.0.1:4000/graphql' })
    .default('http://127.0.0.1:4000/graphql'),
  LOG_LEVEL: logLevelVariable,
});

export type BotConfig = z.infer<typeof botConfigSchema>;
