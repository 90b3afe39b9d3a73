// Takes the screenshots in bot/README.md's guide: the bot with the test directory (a stand-in
// gateway), driven by Debian's chromium through playwright-core.
//   npm run screenshots -w @sp/bot          (writes bot/docs/images/*.png)
import { mkdir, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { createLogger } from '@sp/runtime/logger';
import { createGatewayActivitySearch } from '../src/search/gateway-search';
import { createBotServer } from '../src/server';
import { ACTIVITIES } from '../test/support/activities';
import { launchBrowser } from '../test/support/browser';
import { startFakeGateway } from '../test/support/fake-gateway';

const OUT = fileURLToPath(new URL('../docs/images/', import.meta.url));
const logger = createLogger({ name: 'screenshots', level: 'warn' });

async function open(browser: Browser, url: string, viewport: { width: number; height: number }): Promise<Page> {
  // Reduced motion: no smooth scrolling half-way through a picture.
  const context = await browser.newContext({ viewport, reducedMotion: 'reduce', locale: 'en-GB' });
  const page = await context.newPage();
  await page.goto(url);
  await page.getByTestId('quick-reply').first().waitFor();
  return page;
}

async function say(page: Page, text: string) {
  await page.getByTestId('chat-input').fill(text);
  await page.getByTestId('chat-input').press('Enter');
  await page.getByTestId('quick-reply').first().waitFor();
}

async function shoot(page: Page, name: string) {
  const file = `${OUT}${name}.png`;
  await page.screenshot({ path: file });
  console.log(`${file} (${Math.round((await stat(file)).size / 1024)} KB)`);
}

await mkdir(OUT, { recursive: true });
const gateway = await startFakeGateway({ activities: ACTIVITIES });
const bot = await createBotServer({ logger, ...createGatewayActivitySearch({ url: gateway.url, logger }) }).listen(0, '127.0.0.1');
const browser = await launchBrowser();
try {
  // The public: a search in their own words, with results, and "More".
  const desktop = await open(browser, bot.url, { width: 900, height: 900 });
  await shoot(desktop, 'chat-start');
  await say(desktop, "dance for Parkinson's in Dundee");
  await shoot(desktop, 'chat-results');

  // A phone, 360 px wide: a search without a place, so the bot asks where.
  const phone = await open(browser, bot.url, { width: 360, height: 740 });
  await say(phone, 'singing group');
  await shoot(phone, 'chat-where-phone');

  // Professionals: "Sign in" asks for the token, and the box hides it as it is typed.
  const professional = await open(browser, bot.url, { width: 900, height: 700 });
  await say(professional, 'sign in');
  await professional.getByTestId('chat-input').fill('eyJhbGciOiJFZERTQSIsImtpZCI6ImV4YW1wbGUifQ.example.token');
  await shoot(professional, 'chat-sign-in');
} finally {
  await browser.close();
  await bot.close();
  await gateway.close();
}
