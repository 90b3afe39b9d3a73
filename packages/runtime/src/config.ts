import { z } from 'zod';

export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses configuration once, at start-up. The error names every variable that is wrong,
 * so an operator can fix them all in one go.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: Env): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = issue.path.join('.') || '(environment)';
    return `  ${variable}: ${issue.message}`;
  });
  throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
}

/** An empty value counts as unset, so `PORT=` does not silently mean "any free port". */
const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);

export const portVariable = (fallback: number) =>
  z.preprocess(
    emptyAsUnset,
    z.coerce.number().int().min(0, 'must be a port number').max(65535, 'must be a port number').default(fallback),
  );

export const hostVariable = z.string().min(1).default('127.0.0.1');

export const logLevelVariable = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  .default('info');

export const nodeEnvVariable = z.enum(['development', 'production', 'test']).default('development');
