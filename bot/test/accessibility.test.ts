import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { ConversationService } from '../src/conversation/conversation-service';
import { createMemoryStore } from '../src/conversation/state-store';
import type { BotReply } from '../src/conversation/types';
import { createGatewayActivitySearch } from '../src/search/gateway-search';
import { createBotServer, type BotServerDeps, type RunningBotServer } from '../src/server';
import { ACTIVITIES } from './support/activities';
import { axeViolations, launchBrowser, SKIP_BROWSER_TESTS } from './support/browser';
import { startFakeGateway, type FakeGateway } from './support/fake-gateway';
import { captureLogs } from './support/log-capture';

/**
 * The chat page in a real browser (Debian's chromium through playwright-core) against the bot
 * on port 0 with the fake gateway: WCAG 2.2 AA as axe-core checks it, reflow at 320 px and at
 * 200% zoom, keyboard-only use, the live region, reduced motion, secret input and resuming.
 */
describe.skipIf(SKIP_BROWSER_TESTS)('the chat page in a browser', { timeout: 60_000 }, () => {
  let browser: Browser;
  let gateway: FakeGateway;
  const running: RunningBotServer[] = [];
  const pages: Page[] = [];

  beforeAll(async () => {
    gateway = await startFakeGateway({ activities: ACTIVITIES });
    browser = await launchBrowser();
  }, 60_000);

  afterEach(async () => {
    await Promise.all(pages.splice(0).map((page) => page.context().close()));
    await Promise.all(running.splice(0).map((server) => server.close()));
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
  });

  async function startBot(overrides: Partial<BotServerDeps> = {}, port = 0) {
    const logs = captureLogs();
    const search = createGatewayActivitySearch({ url: gateway.url, logger: logs.logger, timeoutMs: 2_000 });
    const server = await createBotServer({ logger: logs.logger, ...search, ...overrides }).listen(port, '127.0.0.1');
    running.push(server);
    return server;
  }

  /** Opens the page and waits for the greeting, with the message box ready. */
  async function openPage(url: string, options: BrowserContextOptions = {}) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
    const page = await context.newPage();
    pages.push(page);
    await page.goto(url);
    await expect.poll(() => page.getByTestId('chat-input').isEnabled(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => page.getByTestId('quick-reply').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    return page;
  }

  const botTexts = (page: Page) => page.getByTestId('bot-message').allTextContents();

  /**
   * Sends a message by typing and Enter, and waits for the turn's closing message: sending
   * clears the quick replies, and the closing message brings new ones.
   */
  async function say(page: Page, text: string) {
    await page.getByTestId('chat-input').fill(text);
    await page.getByTestId('chat-input').press('Enter');
    await expect.poll(() => page.getByTestId('quick-reply').count(), { timeout: 10_000 }).toBeGreaterThan(0);
  }

  async function searchForDance(page: Page) {
    await say(page, "dance for Parkinson's in Glasgow");
  }

  /** What has focus, described for assertions. */
  const focused = (page: Page) =>
    page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (!element || element === document.body) return 'body';
      return element.dataset.testid || element.id || element.className;
    });

  /** Presses Shift+Tab until the quick reply labelled `label` has focus; every stop on the way is a quick reply. */
  async function shiftTabTo(page: Page, label: string) {
    const count = await page.getByTestId('quick-reply').count();
    for (let step = 0; step < count; step++) {
      await page.keyboard.press('Shift+Tab');
      expect(await focused(page)).toBe('quick-reply');
      if ((await page.evaluate(() => document.activeElement?.textContent)) === label) return;
    }
    throw new Error(`Shift+Tab did not reach the quick reply "${label}"`);
  }

  async function noHorizontalScrolling(page: Page) {
    const { scrollWidth, clientWidth } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
    }));
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
    const viewport = page.viewportSize()!;
    for (const testId of ['chat-input', 'chat-send']) {
      const box = (await page.getByTestId(testId).boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
      expect(box.width).toBeGreaterThanOrEqual(24);
      expect(box.height).toBeGreaterThanOrEqual(24);
      expect(await page.getByTestId(testId).isVisible()).toBe(true);
    }
  }

  it('has no WCAG 2.2 A or AA violations (axe-core) after a search with results and quick replies', async () => {
    const bot = await startBot();
    const page = await openPage(bot.url);
    expect(await axeViolations(page)).toEqual([]);
    await searchForDance(page);
    expect(await page.getByTestId('quick-reply').allTextContents()).toContain('More');
    expect(await page.getByTestId('bot-message').count()).toBeGreaterThan(5);
    expect(await axeViolations(page)).toEqual([]);
    // With a quick reply focused too (focus styles are part of contrast and visibility).
    await page.getByTestId('quick-reply').first().focus();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('is in British English, with landmarks, a skip link, a labelled box and button, and a polite log', async () => {
    const bot = await startBot();
    const page = await openPage(bot.url);
    expect(await page.getAttribute('html', 'lang')).toBe('en-GB');
    expect(await page.locator('header').count()).toBe(1);
    expect(await page.locator('main').count()).toBe(1);
    await expect.poll(() => page.getByRole('textbox', { name: 'Your message' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Send' }).count()).toBe(1);
    expect(await page.getByRole('group', { name: 'Suggested replies' }).getByRole('button').count()).toBe(await page.getByTestId('quick-reply').count());
    const log = page.getByRole('log', { name: 'Conversation' });
    expect(await log.getAttribute('aria-live')).toBe('polite');
    expect(await page.getByRole('status').count()).toBe(1);
  });

  it('reflows at 320 px wide: no horizontal scrolling, the box and Send in view', async () => {
    const bot = await startBot();
    const page = await openPage(bot.url, { viewport: { width: 320, height: 640 } });
    await searchForDance(page);
    await noHorizontalScrolling(page);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('reflows at 200% zoom (a 1280 px window seen as 640 CSS px): no horizontal scrolling', async () => {
    const bot = await startBot();
    const page = await openPage(bot.url, { viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 });
    await searchForDance(page);
    await noHorizontalScrolling(page);
    // And with the text alone made twice as large (browser text-size settings).
    await page.evaluate(() => document.documentElement.style.setProperty('font-size', '200%'));
    await noHorizontalScrolling(page);
  });

  it('works by keyboard alone: skip link, type and Enter, quick replies by Enter and Space, visible focus', async () => {
    const bot = await startBot();
    const page = await openPage(bot.url);

    // From the top, Tab goes through the skip link, the conversation, the suggested replies, the box and Send, in reading order.
    const replies = await page.getByTestId('quick-reply').count();
    const order: string[] = [];
    for (let step = 0; step < replies + 4; step++) {
      await page.keyboard.press('Tab');
      order.push(await focused(page));
    }
    expect(order).toEqual(['skip-link', 'transcript', ...Array<string>(replies).fill('quick-reply'), 'chat-input', 'chat-send']);

    // The skip link is shown when focused and leads to the message box.
    await page.locator('h1').click();
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toBe('skip-link');
    const skip = (await page.locator('.skip-link').boundingBox())!;
    expect(skip.x).toBeGreaterThanOrEqual(0);
    expect(skip.y).toBeGreaterThanOrEqual(0);
    expect(skip.height).toBeGreaterThanOrEqual(24);
    await page.keyboard.press('Enter');
    expect(await focused(page)).toBe('chat-input');

    // Type and Enter.
    await page.getByTestId('chat-input').focus();
    await page.keyboard.type("dance for Parkinson's in Glasgow");
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('quick-reply').allTextContents(), { timeout: 10_000 }).toContain('More');
    expect(await focused(page)).toBe('chat-input');

    // Back to the quick replies: Shift+Tab goes through them, last to first, to "More".
    await shiftTabTo(page, 'More');
    const outline = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement!);
      return { style: style.outlineStyle, width: parseFloat(style.outlineWidth), shadow: style.boxShadow };
    });
    expect(outline.style).toBe('solid');
    expect(outline.width).toBeGreaterThanOrEqual(2);
    expect(outline.shadow).not.toBe('none');

    await page.keyboard.press('Enter');
    await expect.poll(() => botTexts(page).then((texts) => texts.includes('Here are 3 more:')), { timeout: 10_000 }).toBe(true);
    // Choosing a reply puts the keyboard back in the message box.
    expect(await focused(page)).toBe('chat-input');
    expect(await page.getByTestId('user-message').allTextContents()).toEqual(["dance for Parkinson's in Glasgow", 'More']);

    await expect.poll(() => page.getByTestId('quick-reply').allTextContents(), { timeout: 10_000 }).toContain('Start again');
    await shiftTabTo(page, 'Start again');
    await page.keyboard.press('Space');
    await expect.poll(() => botTexts(page).then((texts) => texts.at(-1)), { timeout: 10_000 }).toMatch(/^OK, let's start again/);
  });

  it('puts each new bot message, as text, in the polite live region', async () => {
    const bot = await startBot();
    const page = await openPage(bot.url);
    await searchForDance(page);
    const log = page.locator('[role="log"][aria-live="polite"]');
    const latest = (await botTexts(page)).at(-1)!;
    expect(await log.getByTestId('bot-message').last().textContent()).toBe(latest);
    // Each message says who it is from to a screen reader.
    expect(await log.locator('.message--bot').last().textContent()).toBe(`Assistant: ${latest}`);
    await say(page, 'help');
    expect(await log.getByTestId('bot-message').last().textContent()).toMatch(/^Type what you're looking for/);
  });

  it('respects reduced motion (no smooth scrolling) and has no animations', async () => {
    const bot = await startBot();
    const reduced = await openPage(bot.url, { reducedMotion: 'reduce' });
    expect(await reduced.evaluate(() => getComputedStyle(document.getElementById('transcript')!).scrollBehavior)).toBe('auto');
    const moving = await openPage(bot.url, { reducedMotion: 'no-preference' });
    expect(await moving.evaluate(() => getComputedStyle(document.getElementById('transcript')!).scrollBehavior)).toBe('smooth');
    expect(await reduced.evaluate(() => document.getAnimations().length)).toBe(0);
  });

  it('hides a secret as it is typed, never shows it back, and then returns to an ordinary box', async () => {
    const ask: BotReply = { text: 'Paste your sign-in token.', inputHint: 'secret', quickReplies: [{ label: 'Cancel', value: 'cancel' }] };
    const received: string[] = [];
    const conversations: ConversationService = {
      async handle(_conversationId, message, deliver) {
        if (message.type === 'text') received.push(message.text);
        await deliver(message.type === 'start' ? [ask] : [{ text: 'Thank you.', quickReplies: [{ label: 'Start again', value: 'start again' }] }]);
        return { intent: 'start' };
      },
      end: async () => undefined,
      idle: async () => undefined,
    };
    const bot = await startBot({ conversations });
    const page = await openPage(bot.url);
    const input = page.getByTestId('chat-input');
    expect(await input.getAttribute('type')).toBe('password');
    expect(await input.getAttribute('autocomplete')).toBe('off');
    expect(await page.getByLabel('Token or secret (hidden as you type)').count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);

    const token = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJncC0xIn0.c2lnbmF0dXJl-secret';
    await input.fill(token);
    await input.press('Enter');
    await expect.poll(() => botTexts(page).then((texts) => texts.at(-1))).toBe('Thank you.');
    expect(received).toEqual([token]);
    expect(await page.getByTestId('user-message').allTextContents()).toEqual(['•••• (hidden)']);
    expect(await page.content()).not.toContain('c2lnbmF0dXJl');
    expect(await input.getAttribute('type')).toBe('text');
    expect(await input.inputValue()).toBe('');
    expect(await page.getByLabel('Your message').count()).toBe(1);
  });

  it('carries on the conversation after a reload and after the bot restarts', async () => {
    const store = createMemoryStore();
    const bot = await startBot({ store });
    const page = await openPage(bot.url);
    await searchForDance(page);

    // A reload: the page sends its token from sessionStorage and the bot carries on.
    await page.reload();
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 10_000 }).toBe('Connected again. You can carry on where you left off.');
    await say(page, 'more');
    expect((await botTexts(page))[0]).toBe('Here are 3 more:');

    // A restart on the same port (the store outlives the process, as Redis would): the page
    // reconnects by itself and carries on, with its suggested replies back.
    await say(page, 'singing in Glasgow');
    const port = new URL(bot.url).port;
    await bot.close();
    await expect.poll(() => page.getByTestId('chat-input').isDisabled(), { timeout: 5_000 }).toBe(true);
    await startBot({ store }, Number(port));
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 15_000 }).toBe('Connected again. You can carry on where you left off.');
    expect(await page.getByTestId('chat-input').isEnabled()).toBe(true);
    expect(await page.getByTestId('quick-reply').count()).toBeGreaterThan(0);
  });
});
