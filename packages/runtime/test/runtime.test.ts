import { Writable } from 'node:stream';
import { ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, loadConfig, portVariable } from '../src/config';
import { createErrorFormatter, userError } from '../src/errors';
import { createGraphQLHttpService } from '../src/http';
import { createLogger } from '../src/logger';
import { graphqlRequest } from '../src/testing';

function capturingLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(String(chunk));
      callback();
    },
  });
  return { logger: createLogger({ name: 'test', level: 'info', destination }), lines };
}

describe('loadConfig', () => {
  it('names every variable that is wrong', () => {
    const schema = z.object({ A_PORT: portVariable(1), B_PORT: portVariable(2) });
    expect(() => loadConfig(schema, { A_PORT: 'seven', B_PORT: '70000' })).toThrow(ConfigError);
    try {
      loadConfig(schema, { A_PORT: 'seven', B_PORT: '70000' });
    } catch (error) {
      expect((error as Error).message).toMatch(/A_PORT/);
      expect((error as Error).message).toMatch(/B_PORT/);
    }
  });

  it('applies defaults and coerces numbers', () => {
    expect(loadConfig(z.object({ A_PORT: portVariable(4001) }), {})).toEqual({ A_PORT: 4001 });
    expect(loadConfig(z.object({ A_PORT: portVariable(4001) }), { A_PORT: '0' })).toEqual({ A_PORT: 0 });
  });
});

describe('the error formatter', () => {
  it('shows errors a user can act on and masks the rest, logging them without request data', () => {
    const { logger, lines } = capturingLogger();
    const format = createErrorFormatter(logger);
    const expected = userError('BAD_USER_INPUT', 'Postcode is not valid.');
    expect(format({ message: expected.message, extensions: expected.extensions }, expected)).toEqual({
      message: 'Postcode is not valid.',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const crash = new GraphQLError('connection to 10.0.0.3 refused', { originalError: new Error('secret detail') });
    const masked = format({ message: crash.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, crash);
    expect(masked.message).not.toMatch(/10\.0\.0\.3|secret/);
    expect(masked.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(lines.join('')).toMatch(/secret detail/);
  });
});

describe('the GraphQL HTTP service', () => {
  async function start(maxBodyBytes?: number) {
    const apollo = new ApolloServer({
      typeDefs: 'type Query { hello(name: String!): String! }',
      resolvers: { Query: { hello: (_: unknown, args: { name: string }) => `Hello ${args.name}` } },
    });
    let ready = true;
    const service = createGraphQLHttpService({
      apollo,
      logger: createLogger({ name: 'test', level: 'silent' }),
      readiness: async () => ({ ready, checks: { database: { ok: ready } } }),
      context: async () => ({}),
      ...(maxBodyBytes ? { maxBodyBytes } : {}),
    });
    const running = await service.listen(0, '127.0.0.1');
    return { running, origin: new URL(running.url).origin, setReady: (value: boolean) => (ready = value) };
  }

  it('serves GraphQL, echoes a well-formed request id and replaces a malformed one', async () => {
    const { running } = await start();
    try {
      const result = await graphqlRequest(running.url, 'query($n: String!) { hello(name: $n) }', { n: 'Ailsa' }, {
        'x-request-id': 'abc-123',
      });
      expect(result.data).toEqual({ hello: 'Hello Ailsa' });
      expect(result.headers.get('x-request-id')).toBe('abc-123');
      const other = await graphqlRequest(running.url, '{ hello(name: "x") }', undefined, { 'x-request-id': 'bad id with spaces and / slashes' });
      expect(other.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await running.close();
    }
  });

  it('refuses an oversized body with 413 and a code', async () => {
    const { running } = await start(200);
    try {
      const result = await graphqlRequest(running.url, `{ hello(name: "${'x'.repeat(500)}") }`);
      expect(result.status).toBe(413);
      expect(result.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
    } finally {
      await running.close();
    }
  });

  it('answers /health always and /ready with 503 while a dependency is down', async () => {
    const { running, origin, setReady } = await start();
    try {
      expect((await fetch(`${origin}/health`)).status).toBe(200);
      expect((await fetch(`${origin}/ready`)).status).toBe(200);
      setReady(false);
      const notReady = await fetch(`${origin}/ready`);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toMatchObject({ ready: false, checks: { database: { ok: false } } });
      expect((await fetch(`${origin}/elsewhere`)).status).toBe(404);
    } finally {
      await running.close();
    }
  });

  it('keeps CSRF prevention on: a simple GET without a preflight header is refused', async () => {
    const { running } = await start();
    try {
      const response = await fetch(`${running.url}?query=${encodeURIComponent('{ hello(name: "x") }')}`);
      expect(response.status).toBe(400);
    } finally {
      await running.close();
    }
  });
});
