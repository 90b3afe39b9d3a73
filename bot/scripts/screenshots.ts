// Takes the screenshots in bot/README.md's guide: the bot with the test directory (a stand-in
// gateway that also signs in the made-up GP token of the tests and takes referrals), driven by
// Debian's chromium through playwright-core.
//   npm run screenshots -w @sp/bot          (writes bot/docs/images/*.png)
import { mkdir, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { createLogger } from '@sp/runtime/logger';
import { createGatewayServices } from '../src/gateway-services';
import { createBotServer } from '../src/server';
import { ACTIVITIES } from '../test/support/activities';
import { launchBrowser } from '../test/support/browser';
import { startFakeHub } from '../test/support/fake-hub';
import { gpToken } from '../test/support/tokens';

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

/** Waits for the bot's latest message to match, so the picture shows the answer. */
async function botSaid(page: Page, pattern: RegExp) {
  try {
    await page.getByTestId('bot-message').filter({ hasText: pattern }).last().waitFor({ timeout: 10_000 });
  } catch (error) {
    const said = await page.getByTestId('bot-message').allTextContents();
    throw new Error(`The bot did not say ${pattern}; its last words were:\n${said.slice(-3).join('\n---\n')}`, { cause: error });
  }
}

async function choose(page: Page, label: string) {
  await page.getByTestId('quick-reply').filter({ hasText: label }).first().click();
}

async function shoot(page: Page, name: string) {
  const file = `${OUT}${name}.png`;
  await page.screenshot({ path: file });
  console.log(`${file} (${Math.round((await stat(file)).size / 1024)} KB)`);
}

await mkdir(OUT, { recursive: true });
const gateway = await startFakeHub({ activities: ACTIVITIES, postcodes: { Dundee: 'DD1 4HN', Glasgow: 'G2 3AB' } });
const services = createGatewayServices({ url: gateway.url, logger });
const bot = await createBotServer({ logger, ...services }).listen(0, '127.0.0.1');
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

  // ...and once signed in, a referral in a few turns, ending with its reference.
  await professional.getByTestId('chat-input').fill(gpToken());
  await professional.getByTestId('chat-input').press('Enter');
  await botSaid(professional, /signed in/);
  await say(professional, "chair based dance for a man with PD in Dundee, step free");
  await choose(professional, "Refer: Dance for Parkinson's – Dun");
  await botSaid(professional, /full name/);
  await say(professional, 'Alex Morgan, 07911 123456');
  await botSaid(professional, /phone call or a text message/);
  await choose(professional, 'Phone call');
  await botSaid(professional, /How old/);
  await say(professional, '74');
  for (const [question, answer] of [
    [/agreed to you sharing these details/, 'Yes'],
    [/agreed to be contacted about how the referral is going/, 'Yes'],
    [/agreed that their GP practice can be told/, 'No'],
    [/agreed that their results can be used/, 'Yes'],
  ] as const) {
    await botSaid(professional, question);
    await choose(professional, answer);
  }
  await botSaid(professional, /What matters to/);
  await say(professional, 'Dancing again with his wife; getting out of the house');
  await botSaid(professional, /through anyone else/);
  await choose(professional, 'Just me (GP)');
  await botSaid(professional, /Shall I send it\?/);
  await shoot(professional, 'chat-referral-summary');
  await choose(professional, 'Send referral');
  await botSaid(professional, /Referral sent/);
  await shoot(professional, 'chat-referral-sent');

  // The public: asking to join, ending with a reference and a secret to write down.
  const joining = await open(browser, bot.url, { width: 900, height: 900 });
  await say(joining, 'befriending in Dundee');
  await choose(joining, 'Ask to join');
  await botSaid(joining, /Do you agree to share these details/);
  await choose(joining, 'Yes');
  await botSaid(joining, /first name/);
  await say(joining, 'Sam');
  await botSaid(joining, /contact you/);
  await say(joining, 'sam@example.org');
  await botSaid(joining, /How old are you/);
  await say(joining, '67');
  await botSaid(joining, /anything you would like/);
  await choose(joining, 'Skip');
  await botSaid(joining, /Shall I send them\?/);
  await choose(joining, 'Send');
  await botSaid(joining, /Your secret/);
  await shoot(joining, 'chat-join-sent');
} finally {
  await browser.close();
  await bot.close();
  await gateway.close();
}
