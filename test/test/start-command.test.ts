// The README's promise, checked as a newcomer would: `npm start` brings up all five services
// with sample data, the gateway answers a query across the three subgraphs within 60 seconds,
// the chat answers in a real browser, and a restart keeps what was stored.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { signDevelopmentToken } from '@sp/auth/development';
import { graphqlRequest } from '@sp/runtime/testing';
import { launchBrowser } from '../src/browser';
import { pickPorts, REPOSITORY_DIR, startSystem, waitFor, type RunningSystem, type SystemPorts } from '../src/system';

const run = promisify(execFile);

const ACROSS_ALL_SUBGRAPHS = `{
  activities(first: 100) {
    edges { node { id name town referralCount evidence(first: 3) { title studyType } } }
  }
}`;

interface Activity {
  id: string;
  name: string;
  town: string | null;
  referralCount: number;
  evidence: Array<{ title: string; studyType: string }>;
}

async function queryAcrossSubgraphs(gatewayUrl: string): Promise<Activity[] | undefined> {
  const result = await graphqlRequest(gatewayUrl, ACROSS_ALL_SUBGRAPHS);
  // An answer with errors is worth reporting if the wait times out; keep polling meanwhile.
  if (result.errors) throw new Error(`the gateway answered with errors: ${JSON.stringify(result.errors)}`);
  if (!result.data) return undefined;
  const activities = result.data.activities.edges.map((edge: { node: Activity }) => edge.node) as Activity[];
  return activities.length > 0 ? activities : undefined;
}

interface Setup {
  name: string;
  env: () => Promise<{ env: Record<string, string>; cleanup(): Promise<void> }>;
}

const sqlite: Setup = {
  name: 'SQLite files (no configuration)',
  async env() {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'sp-system-'));
    return { env: { DATA_DIR: dataDir }, cleanup: () => rm(dataDir, { recursive: true, force: true }) };
  },
};

const postgresql: Setup = {
  name: 'PostgreSQL (DATABASE_URL)',
  async env() {
    const url = process.env.TEST_DATABASE_URL!;
    const suffix = randomBytes(4).toString('hex');
    const schemas = ['provider', 'referral', 'evidence'].map((subgraph) => `system_${subgraph}_${suffix}`);
    const withSchema = (schema: string) => {
      const parsed = new URL(url);
      parsed.searchParams.set('schema', schema);
      return parsed.toString();
    };
    return {
      env: {
        DATABASE_URL: url,
        PROVIDER_DATABASE_URL: withSchema(schemas[0]!),
        REFERRAL_DATABASE_URL: withSchema(schemas[1]!),
        EVIDENCE_DATABASE_URL: withSchema(schemas[2]!),
      },
      async cleanup() {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      },
    };
  },
};

const setups = process.env.TEST_DATABASE_URL ? [sqlite, postgresql] : [sqlite];

/** The chat page, connected and ready for typing. */
async function openChatPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(url);
  await expect.poll(() => page.getByTestId('chat-input').isEnabled(), { timeout: 15_000 }).toBe(true);
  return page;
}

async function send(page: Page, text: string) {
  await page.getByTestId('chat-input').fill(text);
  await page.getByTestId('chat-send').click();
}

/** Clicks the quick reply with this label, once it is offered. */
async function choose(page: Page, label: string) {
  await page.getByTestId('quick-reply').filter({ hasText: label }).first().click({ timeout: 15_000 });
}

/** Waits until one of the bot's messages matches, and returns the latest that does. */
async function botSaid(page: Page, pattern: RegExp): Promise<string> {
  let found: string | undefined;
  await expect
    .poll(
      async () => {
        found = (await page.getByTestId('bot-message').allTextContents()).findLast((text) => pattern.test(text));
        return found !== undefined;
      },
      { timeout: 15_000, message: `the bot to say ${pattern}` },
    )
    .toBe(true);
  return found!;
}

describe.each(setups)('npm start on $name', (setup) => {
  let ports: SystemPorts;
  let system: RunningSystem | undefined;
  let environment: Awaited<ReturnType<Setup['env']>>;
  let browser: Browser | undefined;
  let startedIn = 0;
  let firstActivities: Activity[] = [];
  let keyDir: string;

  beforeAll(async () => {
    ports = await pickPorts();
    environment = await setup.env();
    keyDir = await mkdtemp(path.join(tmpdir(), 'sp-system-key-'));
    environment.env.AUTH_DEV_KEY_FILE = path.join(keyDir, 'dev-signing-key.json');
    const started = Date.now();
    system = startSystem(ports, environment.env);
    try {
      firstActivities = await waitFor(() => queryAcrossSubgraphs(system!.gatewayUrl), 60_000, 'the gateway');
    } catch (error) {
      throw new Error(`${String(error)}\n--- output of npm start ---\n${system.output().slice(-6000)}`);
    }
    startedIn = Date.now() - started;
  });

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
    await environment?.cleanup();
    if (keyDir) await rm(keyDir, { recursive: true, force: true });
  });

  it('lets provider staff update their own listing through the gateway with a token from `npm run token`', async () => {
    const target = firstActivities.find((activity) => activity.name === "Dance for Parkinson's – Dundee")!;
    const organization = await graphqlRequest(system!.gatewayUrl, 'query($id: ID!) { activity(id: $id) { organization { id } } }', { id: target.id });
    const { stdout } = await run(
      'npm',
      ['run', '-s', 'token', '--', '--role', 'provider', '--sub', 'staff-9', '--org', organization.data!.activity.organization.id],
      { cwd: REPOSITORY_DIR, env: { ...process.env, AUTH_DEV_KEY_FILE: environment.env.AUTH_DEV_KEY_FILE } },
    );
    const token = stdout.trim();
    const update = 'mutation($id: ID!) { updateActivity(id: $id, input: { fees: "Free, with tea afterwards" }) { id fees } }';
    const anonymous = await graphqlRequest(system!.gatewayUrl, update, { id: target.id });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const signedIn = await graphqlRequest(system!.gatewayUrl, update, { id: target.id }, { authorization: `Bearer ${token}` });
    expect(signedIn.errors).toBeUndefined();
    expect(signedIn.data!.updateActivity).toEqual({ id: target.id, fees: 'Free, with tea afterwards' });
  });

  it('answers a query across all three subgraphs within 60 seconds, with the sample directory', () => {
    expect(startedIn).toBeLessThan(60_000);
    expect(firstActivities.length).toBeGreaterThanOrEqual(20);
    const dundee = firstActivities.find((activity) => activity.name === "Dance for Parkinson's – Dundee");
    expect(dundee).toMatchObject({ town: 'Dundee', referralCount: 0 });
    expect(dundee!.evidence.map((record) => record.studyType)).toContain('QUALITATIVE');
  });

  it('answers "dance for Parkinson\'s" in the chat page, in a real browser', async () => {
    browser = await launchBrowser();
    const page = await openChatPage(browser, system!.chatUrl);
    await send(page, "dance for Parkinson's");
    await expect
      .poll(() => page.getByTestId('user-message').allTextContents(), { timeout: 15_000 })
      .toContain("dance for Parkinson's");
    // No place given: the bot asks where, once, and "Anywhere" is a button.
    await botSaid(page, /Where should it be\?/);
    await choose(page, 'Anywhere');
    await botSaid(page, /Dance for Parkinson's/);
  });

  it('lets a member of the public ask to join through the page; the referral is there for that activity, and its status names it', async () => {
    const target = firstActivities.find((activity) => activity.name === 'Tai chi for balance')!;
    const page = await openChatPage(browser!, system!.chatUrl);
    await send(page, 'tai chi in Perth');
    await choose(page, 'Ask to join: Tai chi for balance');
    await botSaid(page, /Do you agree to share these details with/);
    await choose(page, 'Yes');
    await botSaid(page, /What is your first name\?/);
    await send(page, 'Sam');
    await botSaid(page, /How can .* contact you\?/);
    await send(page, 'sam.taylor@example.org');
    await botSaid(page, /How old are you\?/);
    await send(page, '67');
    await botSaid(page, /Is there anything you would like/);
    await choose(page, 'Skip');
    await botSaid(page, /Shall I send them\?/);
    await choose(page, 'Send');
    const said = await botSaid(page, /Your reference: (SP-[0-9A-Z]{5}-[0-9A-Z]{5})\nYour secret: \S+/);
    const reference = /Your reference: (SP-[0-9A-Z]{5}-[0-9A-Z]{5})/.exec(said)![1]!;
    const secret = /Your secret: (\S+)/.exec(said)![1]!;

    const admin = await signDevelopmentToken(environment.env.AUTH_DEV_KEY_FILE!, { subject: 'admin-1', role: 'admin' });
    const found = await graphqlRequest(
      system!.gatewayUrl,
      '{ myReferrals(first: 50) { edges { node { referenceCode source status activity { id } person { name email contactPreference ageYears } } } } }',
      {},
      { authorization: `Bearer ${admin}` },
    );
    expect(found.errors).toBeUndefined();
    const referral = found.data!.myReferrals.edges.map((edge: { node: unknown }) => edge.node).find((node: { referenceCode: string }) => node.referenceCode === reference);
    expect(referral).toEqual({
      referenceCode: reference,
      source: 'SELF',
      status: 'SENT',
      activity: { id: target.id },
      person: { name: 'Sam', email: 'sam.taylor@example.org', contactPreference: 'EMAIL', ageYears: 67 },
    });

    // With the reference and secret, the status names the activity: the referral subgraph gives
    // its id, the gateway fetches the name from the provider, and the chat says it.
    const status = await graphqlRequest(
      system!.gatewayUrl,
      'query($reference: String!, $secret: String!) { selfReferralStatus(reference: $reference, secret: $secret) { reference status activity { id name } } }',
      { reference, secret },
    );
    expect(status.errors).toBeUndefined();
    expect(status.data!.selfReferralStatus).toEqual({ reference, status: 'SENT', activity: { id: target.id, name: target.name } });
    await send(page, 'check my referral');
    await botSaid(page, /What is your reference\?/);
    await send(page, reference);
    await botSaid(page, /Now please type your secret/);
    await send(page, secret);
    await botSaid(page, new RegExp(`Your request to join Tai chi for balance \\(${reference}\\): it has been sent to the organiser\\.`));
  });

  it('lets a GP sign in and refer someone through the page, without showing the token', async () => {
    const target = firstActivities.find((activity) => activity.name === 'Library scrabble club')!;
    const token = await signDevelopmentToken(environment.env.AUTH_DEV_KEY_FILE!, {
      subject: 'gp-chat-1',
      role: 'professional',
      profession: 'GP',
      organizationId: 'practice-9',
    });
    const page = await openChatPage(browser!, system!.chatUrl);
    await choose(page, 'Sign in');
    await botSaid(page, /Please paste your sign-in token/);
    await send(page, token);
    await botSaid(page, /You're signed in as a GP\./);
    expect((await page.getByTestId('user-message').allTextContents()).join('\n')).not.toContain(token);
    await send(page, 'scrabble in Oxford');
    await choose(page, 'Refer: Library scrabble club');
    await botSaid(page, /Please type their full name\./);
    await send(page, 'Jo Bloggs, jo.bloggs@example.org');
    await botSaid(page, /How old is Jo Bloggs\?/);
    await send(page, '81');
    for (const [question, answer] of [
      [/agreed to you sharing these details/, 'Yes'],
      [/agreed to be contacted about how the referral is going/, 'Yes'],
      [/agreed that their GP practice can be told/, 'No'],
      [/agreed that their results can be used/, 'No'],
    ] as const) {
      await botSaid(page, question);
      await choose(page, answer);
    }
    await botSaid(page, /What matters to Jo Bloggs\?/);
    await send(page, 'A reason to get out of the house on Fridays');
    await botSaid(page, /come to you through anyone else\?/);
    await choose(page, 'Just me (GP)');
    await botSaid(page, /Shall I send it\?/);
    await choose(page, 'Send referral');
    const said = await botSaid(page, /Referral sent\. Its reference is (\S+)\./);
    const id = /Referral sent\. Its reference is (\S+)\./.exec(said)![1]!;

    const read = await graphqlRequest(
      system!.gatewayUrl,
      'query($id: ID!) { referral(id: $id) { source pathway activity { id } consents { purpose granted } person { name whatMattersToMe } } }',
      { id },
      { authorization: `Bearer ${token}` },
    );
    expect(read.errors).toBeUndefined();
    expect(read.data!.referral).toEqual({
      source: 'PROFESSIONAL',
      pathway: ['GP'],
      activity: { id: target.id },
      consents: [
        { purpose: 'SHARE_WITH_PROVIDER', granted: true },
        { purpose: 'FOLLOW_UP_CONTACT', granted: true },
        { purpose: 'TELL_GP_OUTCOME', granted: false },
        { purpose: 'ANONYMISED_RESEARCH', granted: false },
      ],
      person: { name: 'Jo Bloggs', whatMattersToMe: 'A reason to get out of the house on Fridays' },
    });
  });

  it('serves GraphiQL in development from the gateway itself: it loads the schema and fetches nothing from elsewhere', async () => {
    const page = await browser!.newPage();
    const gateway = new URL(system!.gatewayUrl);
    const elsewhere: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (!['data:', 'blob:'].includes(url.protocol) && url.origin !== gateway.origin) elsewhere.push(url.origin);
    });
    const introspected = page.waitForResponse(
      (response) => response.url() === gateway.href && response.request().method() === 'POST' && response.ok(),
      { timeout: 30_000 },
    );
    await page.goto(gateway.href, { waitUntil: 'load', timeout: 30_000 });
    await page.locator('.graphiql-container').first().waitFor({ timeout: 30_000 });
    const body = (await (await introspected).json()) as { data?: { __schema?: { queryType?: { name?: string } } } };
    expect(body.data?.__schema?.queryType?.name).toBe('Query');
    expect(elsewhere).toEqual([]);
    await page.close();
  }, 60_000);

  it('keeps a referral made through the gateway after a stop and a restart, without loading the sample twice', async () => {
    const target = firstActivities.find((activity) => activity.name === 'TeaBooks sociable book group')!;
    const { stdout } = await run(
      'npm',
      ['run', '-s', 'token', '--', '--role', 'professional', '--sub', 'gp-7', '--org', 'practice-7', '--profession', 'GP'],
      { cwd: REPOSITORY_DIR, env: { ...process.env, AUTH_DEV_KEY_FILE: environment.env.AUTH_DEV_KEY_FILE } },
    );
    const asGp = { authorization: `Bearer ${stdout.trim()}` };
    const created = await graphqlRequest(
      system!.gatewayUrl,
      'mutation($input: CreateReferralInput!) { createReferral(input: $input) { id status activityCheck activity { id name } } }',
      {
        input: {
          activityId: target.id,
          idempotencyKey: `system-test-${Date.now()}`,
          person: { name: 'Test Person', contactPreference: 'EMAIL', email: 'test.person@example.org', ageYears: 72 },
          consents: [{ purpose: 'SHARE_WITH_PROVIDER', granted: true, method: 'VERBAL' }],
        },
      },
      asGp,
    );
    expect(created.errors).toBeUndefined();
    // CONFIRMED: the referral subgraph asked the provider subgraph which organisation runs the activity.
    expect(created.data!.createReferral).toMatchObject({ status: 'SENT', activityCheck: 'CONFIRMED', activity: { id: target.id, name: target.name } });

    await system!.stop();
    system = startSystem(ports, environment.env);
    const activities = await waitFor(() => queryAcrossSubgraphs(system!.gatewayUrl), 60_000, 'the restarted gateway');

    expect(activities).toHaveLength(firstActivities.length);
    expect(activities.find((activity) => activity.id === target.id)?.referralCount).toBe(1);
    const read = await graphqlRequest(
      system!.gatewayUrl,
      'query($id: ID!) { referral(id: $id) { id status } }',
      { id: created.data!.createReferral.id },
      asGp,
    );
    expect(read.data!.referral).toEqual({ id: created.data!.createReferral.id, status: 'SENT' });
  });
});
