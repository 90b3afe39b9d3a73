/**
 * Tokens shaped like the platform's JWTs. The bot never checks signatures (the gateway does),
 * so tests sign nothing: the fake gateway accepts a token whose signature part is "signed".
 */
export function makeToken(claims: Record<string, unknown>, signature = 'signed'): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'EdDSA', typ: 'JWT' })}.${part(claims)}.${signature}`;
}

export const HOUR = 60 * 60;

/** A GP's token, valid for an hour from `now` (epoch milliseconds). */
export function gpToken(now = Date.now(), extra: Record<string, unknown> = {}): string {
  return makeToken({ sub: 'gp-1', role: 'professional', profession: 'GP', name: 'Dr Ann Hughes', org: 'practice-7', exp: Math.floor(now / 1000) + HOUR, ...extra });
}
