/** The DateTime scalar every subgraph shares: ISO 8601 strings on the wire, Date objects in code. */
export const dateTimeScalar = {
  description: 'A date and time in ISO 8601 format, in UTC.',
  serialize: (value: Date) => value.toISOString(),
  parseValue: (value: unknown): Date => {
    const parsed = typeof value === 'string' ? new Date(value) : undefined;
    if (!parsed || Number.isNaN(parsed.getTime())) throw new TypeError('DateTime must be an ISO 8601 string');
    return parsed;
  },
};
