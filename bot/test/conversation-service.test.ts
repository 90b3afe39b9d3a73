import { describe, expect, it } from 'vitest';
import { botConfigSchema } from '../src/config';
import { createConversationService } from '../src/conversation/conversation-service';
import { createMemoryStore } from '../src/conversation/state-store';
import type { BotReply } from '../src/conversation/types';
import type { ActivitySearch } from '../src/search/activity-search';
import { toSuggestion } from '../src/search/gateway-search';
import { ConfigError, loadConfig } from '@sp/runtime/config';
import { ACTIVITIES, hit } from './support/activities';

const FIVE = ACTIVITIES.slice(0, 5).map((activity) => toSuggestion(hit(activity)));

describe('the conversation service', () => {
  it('runs one conversation’s turns in order, so a quick "more" never overtakes its search', async () => {
    let release: () => void = () => undefined;
    const slowSearch: ActivitySearch = {
      search: () =>
        new Promise((resolve) => {
          release = () => resolve({ suggestions: FIVE });
        }),
    };
    const service = createConversationService({ search: slowSearch, store: createMemoryStore() });
    const delivered: string[] = [];
    const deliver = async (replies: BotReply[]) => {
      delivered.push(replies[0]?.text ?? '');
    };

    const searching = service.handle('c1', { type: 'text', text: 'dance anywhere' }, deliver);
    const more = service.handle('c1', { type: 'text', text: 'more' }, deliver);
    const other = service.handle('c2', { type: 'text', text: 'help' }, deliver);
    await other;
    expect(delivered).toEqual([expect.stringMatching(/^Type what you're looking for/)]);

    release();
    expect(await searching).toEqual({ intent: 'search', outcome: 'results', resultCount: 5 });
    expect(await more).toEqual({ intent: 'more', outcome: 'results', resultCount: 2 });
    expect(delivered.slice(1)).toEqual(['I found 5 activities that might suit you. Here are the first 3:', 'Here are 2 more:']);
    await service.idle();
  });

  it('carries on with a conversation after one of its turns failed', async () => {
    let fail = true;
    const search: ActivitySearch = {
      async search() {
        if (fail) throw new Error('boom');
        return { suggestions: FIVE };
      },
    };
    const service = createConversationService({ search, store: createMemoryStore() });
    const deliver = async () => undefined;
    await expect(service.handle('c1', { type: 'text', text: 'dance anywhere' }, deliver)).rejects.toThrow('boom');
    fail = false;
    await expect(service.handle('c1', { type: 'text', text: 'dance anywhere' }, deliver)).resolves.toMatchObject({ outcome: 'results' });
  });

  it('forgets a conversation that has ended', async () => {
    const store = createMemoryStore();
    const search: ActivitySearch = {
      search: async () => ({ suggestions: FIVE }),
    };
    const service = createConversationService({ search, store });
    await service.handle('c1', { type: 'text', text: 'dance anywhere' }, async () => undefined);
    expect(store.size()).toBe(1);
    await service.end('c1');
    expect(await store.get('c1')).toBeUndefined();
  });
});

describe('the memory store', () => {
  it('forgets idle conversations and keeps at most the configured number', async () => {
    let time = 0;
    const store = createMemoryStore({ idleTtlMs: 1_000, maxConversations: 2, now: () => time });
    const state = { results: [], shown: 0, capped: false };
    await store.set('a', state);
    await store.set('b', state);
    await store.set('c', state);
    expect(await store.get('a')).toBeUndefined();
    expect(await store.get('c')).toEqual(state);
    time = 1_500;
    expect(await store.get('b')).toBeUndefined();
  });

  it('hands out copies, so a caller cannot change what is stored by accident', async () => {
    const store = createMemoryStore();
    const state = { results: FIVE, shown: 3, capped: false };
    await store.set('a', state);
    const copy = await store.get('a');
    copy?.results.pop();
    expect((await store.get('a'))?.results).toHaveLength(5);
  });
});

describe('configuration', () => {
  it('has defaults for running beside the gateway on one machine', () => {
    expect(loadConfig(botConfigSchema, {})).toEqual({
      BOT_PORT: 3000,
      BOT_HOST: '127.0.0.1',
      GATEWAY_URL: 'http://127.0.0.1:4000/graphql',
      LOG_LEVEL: 'info',
    });
  });

  it('names every variable that is wrong', () => {
    expect(() => loadConfig(botConfigSchema, { BOT_PORT: '70000', GATEWAY_URL: 'gateway:4000' })).toThrow(ConfigError);
    expect(() => loadConfig(botConfigSchema, { BOT_PORT: '70000', GATEWAY_URL: 'ftp://gateway/graphql' })).toThrow(
      /BOT_PORT: must be a port number\n {2}GATEWAY_URL: must be an http\(s\) URL/,
    );
  });
});
