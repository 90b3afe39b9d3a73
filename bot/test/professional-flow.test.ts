import { describe, expect, it } from 'vitest';
import type { ConversationDeps } from '../src/conversation/types';
import { fakeReferrals } from './support/fake-referrals';
import { fixturePlaces } from './support/places';
import { gpToken, makeToken } from './support/tokens';
import { conversation, labels, suggestions, tableSearch, texts, values } from './support/transcript';

const NOW = Date.parse('2026-05-04T09:00:00Z');
const DUNDEE = suggestions('act-dfp-dundee', 'act-home-befriending');

function setUp(options: { clientAddress?: string } = {}) {
  const search = tableSearch({ 'dance in Dundee': DUNDEE });
  const referrals = fakeReferrals();
  const clock = { now: NOW };
  let keys = 0;
  const deps: ConversationDeps = {
    search,
    places: fixturePlaces,
    referrals,
    now: () => clock.now,
    newIdempotencyKey: () => `key-${(keys += 1)}`,
    ...(options.clientAddress ? { client: { clientAddress: options.clientAddress } } : {}),
  };
  return { chat: conversation(deps), search, referrals, clock };
}

/** Signed in, with Dance for Parkinson's – Dundee found and its Refer chosen. */
async function referring(options: { clientAddress?: string } = {}) {
  const setup = setUp(options);
  const token = gpToken(NOW);
  await setup.chat.say('sign in');
  await setup.chat.say(token);
  await setup.chat.say('dance in Dundee');
  const asked = await setup.chat.say('refer act-dfp-dundee');
  return { ...setup, token, asked };
}

/** Answers every question, up to the summary. */
async function fillIn(chat: ReturnType<typeof conversation>) {
  await chat.say('Jo Bloggs, jo.bloggs@example.org');
  await chat.say('72');
  await chat.say('yes'); // share with the provider
  await chat.say('yes'); // follow-up contact
  await chat.say('yes'); // tell the GP
  await chat.say('A12345');
  await chat.say('no'); // anonymised research
  await chat.say('Meeting people again after my wife died');
  return chat.say('via community link worker');
}

describe('signing in', () => {
  it('starts from the greeting, asks for a token as a secret, and never repeats it', async () => {
    const { chat, referrals, search } = setUp({ clientAddress: '198.51.100.4' });
    const greeting = await chat.say({ type: 'start' });
    expect(greeting.replies.at(-1)?.quickReplies?.at(-1)).toEqual({ label: 'Sign in', value: 'sign in' });

    const asked = await chat.say('sign in');
    expect(asked.replies.at(-1)?.inputHint).toBe('secret');
    expect(asked.replies.at(-1)?.text).toContain('Please paste your sign-in token. I will not show it in the chat.');

    const token = gpToken(NOW);
    const signedIn = await chat.say(` ${token} `);
    expect(texts(signedIn.replies)).toEqual([
      "You're signed in as Dr Ann Hughes (GP). Find an activity as usual, then choose “Refer” to refer someone to it. Type “my referrals” to see your recent referrals, or “sign out” when you have finished.",
    ]);
    expect(signedIn.summary).toEqual({ intent: 'sign-in', outcome: 'signed-in' });
    expect(referrals.calls).toEqual([{ operation: 'checkSignIn', options: { token, clientAddress: '198.51.100.4' } }]);
    expect(chat.state.session).toEqual({
      token,
      subject: 'gp-1',
      role: 'professional',
      profession: 'GP',
      displayName: 'Dr Ann Hughes',
      expiresAt: NOW + 3_600_000,
    });
    // Kept in the session only: never said back, searched or summarised.
    const said = JSON.stringify([asked, signedIn].map((turn) => [turn.replies, turn.summary]));
    expect(said).not.toContain(token.split('.')[1]);
    expect(search.calls).toEqual([]);
  });

  it('says so when what was pasted is not a token, and asks again without calling the gateway', async () => {
    const { chat, referrals } = setUp();
    await chat.say("I'm a professional");
    const wrong = await chat.say('my password is hunter2');
    expect(wrong.replies[0]?.text).toMatch(/^That does not look like a sign-in token\./);
    expect(wrong.replies[0]?.inputHint).toBe('secret');
    expect(JSON.stringify(wrong)).not.toContain('hunter2');
    expect(referrals.calls).toEqual([]);
    expect(chat.state.flow).toEqual({ kind: 'sign-in' });
  });

  it('refuses an expired token before asking the gateway, and a token the gateway refuses', async () => {
    const { chat, referrals } = setUp();
    await chat.say('sign in');
    expect((await chat.say(gpToken(NOW - 2 * 3_600_000))).replies[0]?.text).toMatch(/^That sign-in token has expired\./);
    expect(referrals.calls).toEqual([]);
    const refusedToken = gpToken(NOW, { sub: 'someone-else' });
    referrals.refused.add(refusedToken);
    const refused = await chat.say(refusedToken);
    expect(refused.replies[0]?.text).toMatch(/^I could not sign you in with that token\./);
    expect(refused.summary).toMatchObject({ outcome: 'failed', problem: 'UNAUTHENTICATED' });
    expect(chat.state.session).toBeUndefined();
    await chat.say('cancel');
    expect(chat.state).toEqual({ results: [], shown: 0, capped: false });
  });

  it('does not keep a provider’s or an administrator’s token: only professionals refer', async () => {
    const { chat } = setUp();
    await chat.say('sign in');
    const provider = await chat.say(makeToken({ sub: 'p-1', role: 'provider', org: 'org-3', exp: NOW / 1000 + 3600 }));
    expect(provider.replies[0]?.text).toMatch(/^That token is for a provider, not a professional\./);
    expect(chat.state.session).toBeUndefined();
    expect(chat.state.flow).toBeUndefined();
  });

  it('forgets the sign-in at expiry and on "sign out"', async () => {
    const { chat, clock } = setUp();
    await chat.say('sign in');
    await chat.say(gpToken(NOW));
    expect((await chat.say('sign in')).replies[0]?.text).toBe("You're already signed in as Dr Ann Hughes (GP).");
    expect((await chat.say('sign out')).replies[0]?.text).toBe("You're signed out. You can still look for activities.");
    expect(chat.state.session).toBeUndefined();

    await chat.say('sign in');
    await chat.say(gpToken(NOW));
    clock.now = NOW + 3_600_000;
    await chat.say('hello');
    expect(chat.state.session).toBeUndefined();
  });
});

describe('referring someone', () => {
  it('offers Refer on each suggestion once signed in', async () => {
    const { chat } = setUp();
    await chat.say('sign in');
    await chat.say(gpToken(NOW));
    const results = await chat.say('dance in Dundee');
    expect(values(results.replies.at(-1))).toEqual(['refer act-dfp-dundee', 'refer act-home-befriending', 'free only', 'step-free', 'start again']);
    expect(labels(results.replies.at(-1))[0]).toBe("Refer: Dance for Parkinson's – Dun…");
    expect(results.replies.at(-1)?.text).toContain('To refer someone to one of these, choose “Refer”.');
  });

  it('asks only for what is missing, one consent at a time, then sends it once with its key', async () => {
    const { chat, referrals, asked, token } = await referring({ clientAddress: '198.51.100.4' });
    expect(asked.replies[0]?.text).toBe("Who are you referring to Dance for Parkinson's – Dundee? Please type their full name.");

    // Name and email in one answer: no question about the email, nor about how to contact them.
    const age = await chat.say('Jo Bloggs, jo.bloggs@example.org');
    expect(age.replies[0]?.text).toBe('How old is Jo Bloggs? Type their age, like 72, or their date of birth, like 12/03/1950.');
    const share = await chat.say('72');
    expect(share.replies[0]?.text).toBe(
      'Has Jo Bloggs agreed to you sharing these details with Scottish Ballet, who run Dance for Parkinson’s – Dundee? The referral cannot be sent without this.'.replace('’', "'"),
    );
    expect(labels(share.replies[0])).toEqual(['Yes', 'No', 'Cancel']);
    expect((await chat.say('yes')).replies[0]?.text).toMatch(/^Has Jo Bloggs agreed to be contacted about how the referral is going/);
    expect((await chat.say('yes')).replies[0]?.text).toBe('Has Jo Bloggs agreed that their GP practice can be told the outcome?');
    expect((await chat.say('yes')).replies[0]?.text).toMatch(/^What is the code of Jo Bloggs's GP practice\?/);
    expect((await chat.say('A12345')).replies[0]?.text).toMatch(/^Has Jo Bloggs agreed that their results can be used, without their name/);
    expect((await chat.say('no')).replies[0]?.text).toMatch(/^What matters to Jo Bloggs\?/);
    const pathway = await chat.say('Meeting people again after my wife died');
    expect(pathway.replies[0]?.text).toMatch(/^Did Jo Bloggs come to you through anyone else\?/);
    expect(labels(pathway.replies[0]).slice(0, 3)).toEqual(['Just me (GP)', 'Via community link worker', 'Via consultant']);

    const summary = await chat.say('via community link worker');
    expect(summary.replies[0]?.text).toBe(
      [
        'Please check this referral before I send it.',
        "Activity: Dance for Parkinson's – Dundee, run by Scottish Ballet",
        'Name: Jo Bloggs',
        'Email: jo.bloggs@example.org',
        'Contact by: email',
        'Age: 72',
        'Agreed to (as they told you): sharing their details with the organiser; being contacted about the referral; telling their GP practice the outcome',
        'Not agreed to: their results being used without their name',
        'GP practice: A12345',
        'What matters to them: Meeting people again after my wife died',
        'Pathway: community link worker → GP (you)',
        'Shall I send it?',
      ].join('\n'),
    );
    expect(labels(summary.replies[0])).toEqual(['Send referral', 'Cancel']);
    expect(referrals.calls.filter((call) => call.operation === 'createReferral')).toEqual([]);

    const sent = await chat.say('send');
    expect(sent.replies[0]?.text).toBe(
      "Referral sent. Its reference is ref-1. Scottish Ballet will contact Jo Bloggs by email. You can follow its progress under “My referrals”.",
    );
    expect(sent.summary).toEqual({ intent: 'answer', outcome: 'sent', flow: 'refer' });
    expect(referrals.calls.at(-1)).toEqual({
      operation: 'createReferral',
      input: {
        activityId: 'act-dfp-dundee',
        idempotencyKey: 'key-1',
        person: {
          name: 'Jo Bloggs',
          contactPreference: 'EMAIL',
          email: 'jo.bloggs@example.org',
          ageYears: 72,
          whatMattersToMe: 'Meeting people again after my wife died',
          gpPracticeCode: 'A12345',
        },
        consents: [
          { purpose: 'SHARE_WITH_PROVIDER', granted: true, method: 'VERBAL' },
          { purpose: 'FOLLOW_UP_CONTACT', granted: true, method: 'VERBAL' },
          { purpose: 'TELL_GP_OUTCOME', granted: true, method: 'VERBAL' },
          { purpose: 'ANONYMISED_RESEARCH', granted: false, method: 'VERBAL' },
        ],
        pathway: ['COMMUNITY_LINK_WORKER', 'GP'],
      },
      options: { token, clientAddress: '198.51.100.4' },
    });
    // The person's details went with the draft; the professional stays signed in.
    expect(chat.state.flow).toBeUndefined();
    expect(JSON.stringify(chat.state)).not.toMatch(/Bloggs|example\.org|wife/);
    expect(chat.state.session?.subject).toBe('gp-1');
    // Nothing personal in the summaries the channel logs.
    expect(JSON.stringify(chat.summaries())).not.toMatch(/Bloggs|example\.org|wife|A12345|eyJ/);
  });

  it('asks how to contact them only when there is a choice, and defaults the pathway to their own profession', async () => {
    const { chat, referrals } = await referring();
    await chat.say('Sam Lee');
    const preference = await chat.say('07912 345678');
    expect(preference.replies[0]?.text).toBe('Would Sam Lee prefer a phone call or a text message?');
    expect(labels(preference.replies[0])).toEqual(['Phone call', 'Text message', 'Cancel']);
    expect((await chat.say('by email please')).replies[0]?.text).toBe('Would Sam Lee prefer a phone call or a text message?');
    await chat.say('text message');
    await chat.say('12/03/1950');
    await chat.say('yes');
    await chat.say('no');
    await chat.say('no');
    await chat.say('no');
    await chat.say('skip');
    const summary = await chat.say('just me');
    expect(summary.replies[0]?.text).toContain('Phone: 07912 345678\nContact by: text message\nDate of birth: 12 March 1950');
    expect(summary.replies[0]?.text).toContain('Pathway: GP (you)');
    expect(summary.replies[0]?.text).not.toContain('What matters');
    await chat.say('Send referral');
    expect(referrals.calls.at(-1)?.input).toMatchObject({
      person: { name: 'Sam Lee', contactPreference: 'TEXT_MESSAGE', phone: '07912 345678', dateOfBirth: '1950-03-12' },
      pathway: ['GP'],
    });
  });

  it('re-asks clearly for a bad email, phone, name, age or answer, and carries on', async () => {
    const { chat } = await referring();
    expect((await chat.say('   ')).replies.at(-1)?.text).toMatch(/^Who are you referring/);
    expect((await chat.say('x'.repeat(150))).replies[0]?.text).toBe('That is longer than a name usually is. Please type just their name, in letters.');
    expect((await chat.say('12345')).replies[0]?.text).toBe('That does not look like a name. Please type just their name, in letters.');
    await chat.say('Jo Bloggs');
    expect((await chat.say('jo@nowhere')).replies[0]?.text).toMatch(/^That email address does not look right\./);
    expect((await chat.say('0123')).replies[0]?.text).toMatch(/^I need a phone number or an email address\./);
    expect((await chat.say('07700 9001')).replies[0]?.text).toMatch(/^That phone number does not look right\./);
    await chat.say('jo@example.org');
    expect((await chat.say('old')).replies[0]?.text).toBe('Please type an age in years, like 72, or a date of birth, like 12/03/1950.');
    expect((await chat.say('31/02/1950')).replies[0]?.text).toMatch(/^Please type an age in years/);
    await chat.say('aged 80');
    expect((await chat.say('sdfgh')).replies[0]?.text).toMatch(/^Please answer yes or no\. Has Jo Bloggs agreed to you sharing/);
    expect(texts((await chat.say('this is stupid')).replies)).toEqual([
      "I'm sorry this is frustrating. Let's carry on, or type “cancel” to stop.",
      expect.stringMatching(/^Has Jo Bloggs agreed to you sharing/),
    ]);
    await chat.say('yes');
    await chat.say('no');
    await chat.say('yes');
    expect((await chat.say('not sure')).replies[0]?.text).toMatch(/^A GP practice code is a letter and five numbers/);
    await chat.say('skip');
    await chat.say('no');
    expect((await chat.say('y'.repeat(1001))).replies[0]?.text).toBe('That is a little long. Please keep it under 1,000 characters, or choose “Skip”.');
    await chat.say('skip');
    expect((await chat.say('my cat')).replies[0]?.text).toMatch(/^Please choose who the person came through/);
    expect((await chat.say('just me')).replies[0]?.text).toMatch(/^Please check this referral/);
    expect((await chat.say('maybe')).replies[0]?.text).toBe('Please choose “Send referral” to send it, or “Cancel” to stop.');
  });

  it('takes any words as "what matters to me", even ones that would otherwise get a calm answer', async () => {
    const { chat, referrals } = await referring();
    for (const answer of ['Jo Bloggs, jo@example.org', '72', 'yes', 'no', 'no', 'no']) await chat.say(answer);
    const next = await chat.say('She hates being treated as if she is stupid');
    expect(next.replies[0]?.text).toMatch(/^Did Jo Bloggs come to you through anyone else\?/);
    await chat.say('just me');
    await chat.say('send');
    expect(referrals.calls.at(-1)?.input).toMatchObject({ person: { whatMattersToMe: 'She hates being treated as if she is stupid' } });
  });

  it('stops, and keeps nothing, when the person has not agreed to share their details', async () => {
    const { chat, referrals } = await referring();
    await chat.say('Jo Bloggs');
    await chat.say('jo@example.org');
    await chat.say('72');
    const no = await chat.say('no');
    expect(no.replies[0]?.text).toBe(
      "Then I cannot send this referral: Scottish Ballet can only be sent it with Jo Bloggs's agreement. I have not kept the details.",
    );
    expect(chat.state.flow).toBeUndefined();
    expect(JSON.stringify(chat.state)).not.toContain('Bloggs');
    expect(referrals.calls.filter((call) => call.operation === 'createReferral')).toEqual([]);
  });

  it('drops the draft on cancel, and on a safety phrase, but keeps the sign-in', async () => {
    for (const stop of ['cancel', 'start again', 'I want to kill myself']) {
      const { chat } = await referring();
      await chat.say('Jo Bloggs, jo@example.org');
      const stopped = await chat.say(stop);
      if (stop === 'I want to kill myself') expect(stopped.summary).toEqual({ intent: 'safety', concern: 'suicide' });
      else expect(stopped.replies[0]?.text).toBe("OK, I've stopped. Nothing was sent, and I have not kept the details. What would you like to look for?");
      expect(chat.state.flow).toBeUndefined();
      expect(JSON.stringify(chat.state)).not.toMatch(/Bloggs|example/);
      expect(chat.state.session?.subject).toBe('gp-1');
    }
  });

  it('answers help and "talk to a person" mid-flow, then asks the same question again', async () => {
    const { chat } = await referring();
    await chat.say('Jo Bloggs');
    const help = await chat.say('help');
    expect(texts(help.replies)).toEqual([
      'You are writing a referral. Answer the question below, or type “cancel” to stop. Nothing is sent until you choose to send it at the end.',
      'How can Scottish Ballet contact Jo Bloggs? Type a phone number or an email address, or both.',
    ]);
    const person = await chat.say('can I speak to a real person');
    expect(person.replies[0]?.text).toMatch(/^I am a computer program/);
    expect(person.replies[1]?.text).toMatch(/^How can Scottish Ballet contact Jo Bloggs\?/);
    expect(chat.state.flow?.kind).toBe('refer');
  });

  it('reuses the idempotency key when a send is retried after a timeout', async () => {
    const { chat, referrals } = await referring();
    await fillIn(chat);
    referrals.failNext('createReferral', { code: 'UNAVAILABLE' });
    const failed = await chat.say('send');
    expect(failed.replies[0]?.text).toMatch(/^I could not reach the referral service, so nothing has been sent yet\./);
    expect(labels(failed.replies[0])).toEqual(['Try again', 'Cancel']);
    expect(chat.state.flow?.kind).toBe('refer');
    const sent = await chat.say('send');
    expect(sent.summary.outcome).toBe('sent');
    const keys = referrals.calls.filter((call) => call.operation === 'createReferral').map((call) => (call.input as { idempotencyKey: string }).idempotencyKey);
    expect(keys).toEqual(['key-1', 'key-1']);
  });

  it('asks to sign in again when the token has run out, and sends the kept draft afterwards', async () => {
    const { chat, referrals, clock } = await referring();
    await fillIn(chat);
    // Refused by the gateway (revoked, or the clocks disagree)...
    referrals.failNext('createReferral', { code: 'UNAUTHENTICATED' });
    const again = await chat.say('send');
    expect(again.replies[0]?.text).toMatch(/^Your sign-in has run out\. I have kept the referral you were writing\./);
    expect(again.replies[0]?.inputHint).toBe('secret');
    expect(chat.state.session).toBeUndefined();
    const resumed = await chat.say(gpToken(NOW));
    expect(resumed.replies.map((reply) => reply.text.split('\n')[0])).toEqual([
      expect.stringMatching(/^You're signed in as Dr Ann Hughes/),
      'Please check this referral before I send it.',
    ]);
    // ...and expired by the clock, before it is sent.
    clock.now = NOW + 2 * 3_600_000;
    expect((await chat.say('send')).replies[0]?.text).toMatch(/^Your sign-in has run out/);
    await chat.say(gpToken(clock.now));
    expect((await chat.say('send')).summary.outcome).toBe('sent');
    const keys = referrals.calls.filter((call) => call.operation === 'createReferral').map((call) => (call.input as { idempotencyKey: string }).idempotencyKey);
    expect(keys).toEqual(['key-1', 'key-1']);
  });

  it.each([
    ['FORBIDDEN', /^Your account is not allowed to make referrals/, 'refer'],
    ['RATE_LIMITED', /^Too many requests have been sent from here in a short time\. Please wait 2 minutes, then try again\. I have kept the details until then\./, 'refer'],
    ['CONFLICT', /^It looks as if this request was already sent once\./, 'refer'],
    ['UNKNOWN_ACTIVITY', /^Dance for Parkinson's – Dundee is no longer in the directory/, undefined],
    ['SOMETHING_NEW', /^I could not reach the referral service/, 'refer'],
  ])('answers %s calmly, keeping the draft when it can be retried', async (code, reply, flow) => {
    const { chat, referrals } = await referring();
    await fillIn(chat);
    referrals.failNext('createReferral', { code, retryAfterSeconds: 90 });
    const failed = await chat.say('send');
    expect(failed.replies[0]?.text).toMatch(reply);
    expect(failed.summary).toMatchObject({ outcome: 'failed', problem: code });
    expect(chat.state.flow?.kind).toBe(flow);
  });

  it('asks again for a detail the referral service did not accept, keeping the rest', async () => {
    const { chat, referrals } = await referring();
    await fillIn(chat);
    referrals.failNext('createReferral', { code: 'INVALID_EMAIL', field: 'person.email' });
    const failed = await chat.say('send');
    expect(texts(failed.replies)).toEqual([
      'The referral service did not accept the email address.',
      'How can Scottish Ballet contact Jo Bloggs? Type a phone number or an email address, or both.',
    ]);
    const summary = await chat.say('jo@example.com');
    expect(summary.replies[0]?.text).toMatch(/^Please check this referral/);
    referrals.failNext('createReferral', { code: 'CONSENT_REQUIRED' });
    const consent = await chat.say('send');
    expect(consent.replies.at(-1)?.text).toMatch(/^Has Jo Bloggs agreed to you sharing these details/);
    await chat.say('yes');
    expect((await chat.say('send')).summary.outcome).toBe('sent');
  });

  it('signs in first when Refer is chosen without a sign-in, then carries on with that activity', async () => {
    const { chat } = setUp();
    await chat.say('dance in Dundee');
    const asked = await chat.say('refer act-dfp-dundee');
    expect(texts(asked.replies)).toEqual([
      'To refer someone, please sign in first. Or, to ask to join for yourself, choose “Ask to join” instead.',
      expect.stringMatching(/^Professionals can refer people through this chat\./),
    ]);
    const started = await chat.say(gpToken(NOW));
    expect(started.replies.at(-1)?.text).toBe("Who are you referring to Dance for Parkinson's – Dundee? Please type their full name.");
    expect(chat.state.flow?.kind).toBe('refer');
  });

  it('will not start another referral in the middle of one', async () => {
    const { chat } = await referring();
    const other = await chat.say('refer act-home-befriending');
    expect(other.replies[0]?.text).toBe('Please finish this first, or type “cancel” to stop it.');
    expect(chat.state.flow).toMatchObject({ kind: 'refer', draft: { activity: { id: 'act-dfp-dundee' } } });
  });
});

describe('my referrals', () => {
  it('lists the latest five, newest first, with statuses in plain words', async () => {
    const { chat, referrals } = setUp();
    referrals.referrals.push(
      { id: 'r2', status: 'ACCEPTED', createdAt: '2026-05-02T10:00:00Z', activityName: 'Time to Dance', personName: 'Jo Bloggs' },
      { id: 'r1', status: 'SENT', createdAt: '2026-04-28T10:00:00Z', activityName: 'Telephone befriending', personName: null },
    );
    const asked = await chat.say('my referrals');
    expect(asked.replies[0]?.text).toBe('To see your referrals, please sign in first.');
    const listed = await chat.say(gpToken(NOW));
    expect(listed.replies.at(-1)?.text).toBe(
      [
        'Your 2 referrals:',
        '1. Time to Dance – for J. B. – sent 2 May 2026 – accepted',
        '2. Telephone befriending – sent 28 April 2026 – sent, not opened yet',
        'Open one to see it in full.',
      ].join('\n'),
    );
    expect(labels(listed.replies.at(-1))).toEqual(['Open 1', 'Open 2', 'Start again', 'Sign out']);
    expect(referrals.calls.at(-1)).toMatchObject({ operation: 'myReferrals', input: { first: 5 } });
    referrals.failNext('myReferrals', { code: 'UNAVAILABLE' });
    expect((await chat.say('my referrals')).replies[0]?.text).toBe('I cannot get your referrals at the moment. Please try again in a few minutes.');
  });
});

describe('opening, paging and withdrawing from "My referrals"', () => {
  /** Signed in, with `count` referrals (r<count> newest), the newest ACCEPTED and the next COMPLETED. */
  async function listed(count = 2) {
    const setup = setUp();
    for (let number = count; number >= 1; number -= 1) {
      setup.referrals.referrals.push({
        id: `r${number}`,
        status: number === count ? 'ACCEPTED' : number === count - 1 ? 'COMPLETED' : 'SENT',
        createdAt: `2026-04-${String(number).padStart(2, '0')}T10:00:00Z`,
        activityName: number === count ? 'Time to Dance' : `Activity ${number}`,
        personName: number === count ? 'Jo Bloggs' : null,
      });
    }
    await setup.chat.say('sign in');
    const token = gpToken(NOW);
    await setup.chat.say(token);
    const list = await setup.chat.say('my referrals');
    return { ...setup, token, list };
  }

  const TIME_TO_DANCE = [
    'Time to Dance, for J. B.',
    'Reference: r2',
    'Status: accepted (since 3 May 2026)',
    'Pathway: community link worker → GP',
    'Agreed to: sharing their details with the organiser; being contacted about the referral',
    'Not agreed to: telling their GP practice the outcome',
    'Latest changes:',
    '• 3 May 2026: accepted',
    '• 2 April 2026: sent',
  ].join('\n');

  it('opens a listed referral from its button, "open 2", "show 2" or its id, showing what a professional needs and no more', async () => {
    const { chat, referrals, token, list } = await listed();
    expect(list.replies[0]?.quickReplies?.slice(0, 2)).toEqual([
      { label: 'Open 1', value: 'open 1' },
      { label: 'Open 2', value: 'open 2' },
    ]);
    const opened = await chat.say('open 1');
    expect(texts(opened.replies)).toEqual([TIME_TO_DANCE]);
    expect(labels(opened.replies[0])).toEqual(['Withdraw this referral', 'My referrals', 'Start again']);
    expect(opened.summary).toEqual({ intent: 'open-referral', outcome: 'status' });
    expect(referrals.calls.at(-1)).toEqual({ operation: 'referral', input: { id: 'r2' }, options: { token } });
    // The person as in the list (initials); the state keeps ids, the activity and the date only.
    expect(JSON.stringify([opened.replies, chat.state.listed, chat.state.opened])).not.toContain('Bloggs');
    expect(chat.state.opened).toEqual({ id: 'r2', activityName: 'Time to Dance', createdAt: '2026-04-02T10:00:00Z' });

    const second = await chat.say('show 2');
    expect(second.replies[0]?.text.split('\n').slice(0, 3)).toEqual(['Activity 1', 'Reference: r1', 'Status: completed (since 3 May 2026)']);
    // Ended: nothing to withdraw, so no button and nothing kept for one.
    expect(labels(second.replies[0])).toEqual(['My referrals', 'Start again']);
    expect(chat.state.opened).toBeUndefined();
    expect((await chat.say('r2')).replies[0]?.text).toBe(TIME_TO_DANCE);
    expect((await chat.say('open referral 2')).replies[0]?.text).toMatch(/^Activity 1\n/);

    const missing = await chat.say('open 7');
    expect(missing.replies[0]?.text).toBe('There is no number 7 in the list I showed you. Please choose one from the list.');
    expect(referrals.calls.filter((call) => call.operation === 'referral')).toHaveLength(4);
  });

  it('pages with "More", keeping only the ids and the service’s cursor in the state', async () => {
    const { chat, referrals, list } = await listed(12);
    expect(list.replies[0]?.text.split('\n')[0]).toBe('Your 5 most recent referrals (of 12):');
    expect(list.replies[0]?.text.split('\n').at(-1)).toBe('Open one to see it in full, or choose “More” for older ones.');
    expect(labels(list.replies[0])).toEqual(['Open 1', 'Open 2', 'Open 3', 'Open 4', 'Open 5', 'More', 'Start again', 'Sign out']);
    expect(chat.state.listed).toEqual({ ids: ['r12', 'r11', 'r10', 'r9', 'r8'], from: 1, after: 'cursor:r8' });

    const page2 = await chat.say('more');
    expect(page2.summary).toEqual({ intent: 'more', outcome: 'results', resultCount: 5 });
    expect(referrals.calls.at(-1)).toMatchObject({ operation: 'myReferrals', input: { first: 5, after: 'cursor:r8' } });
    expect(page2.replies[0]?.text.split('\n').slice(0, 2)).toEqual(['Your referrals 6 to 10 (of 12):', '6. Activity 7 – sent 7 April 2026 – sent, not opened yet']);
    expect(labels(page2.replies[0])).toEqual(['Open 6', 'Open 7', 'Open 8', 'Open 9', 'Open 10', 'More', 'Start again', 'Sign out']);
    expect((await chat.say('open 7')).replies[0]?.text).toMatch(/^Activity 6\nReference: r6\n/);
    expect((await chat.say('open 2')).replies[0]?.text).toBe('There is no number 2 in the list I showed you. Please choose one from the list.');

    const page3 = await chat.say('more');
    expect(page3.replies[0]?.text.split('\n')).toEqual([
      'Your referrals 11 to 12 (of 12):',
      '11. Activity 2 – sent 2 April 2026 – sent, not opened yet',
      '12. Activity 1 – sent 1 April 2026 – sent, not opened yet',
      'Open one to see it in full.',
    ]);
    expect(labels(page3.replies[0])).not.toContain('More');
    const end = await chat.say('more');
    expect(end.replies[0]?.text).toBe('That is all your referrals. Type “my referrals” to see the latest again.');
    expect(referrals.calls.filter((call) => call.operation === 'myReferrals')).toHaveLength(3);
    expect(chat.state.listed).toEqual({ ids: ['r2', 'r1'], from: 11 });
    expect(JSON.stringify(chat.state.listed)).not.toMatch(/Activity|Dance/);

    // A search since: "more" is about its results, and the list is dropped.
    await chat.say('dance in Dundee');
    expect(chat.state.listed).toBeUndefined();
    expect((await chat.say('more')).summary.intent).toBe('more');
    expect(referrals.calls.filter((call) => call.operation === 'myReferrals')).toHaveLength(3);
  });

  it('withdraws an opened referral after "are you sure?" and a reason, with the token, and shows its status afterwards', async () => {
    const { chat, referrals, token } = await listed();
    const opened = await chat.say('open 1');
    const button = opened.replies[0]?.quickReplies?.[0];
    expect(button).toEqual({ label: 'Withdraw this referral', value: 'withdraw referral r2' });

    const confirm = await chat.say(button!.value);
    expect(confirm.replies[0]?.text).toBe(
      'Withdraw the referral to Time to Dance, sent 2 April 2026? The organiser will see that it has been withdrawn. This cannot be undone.',
    );
    expect(labels(confirm.replies[0])).toEqual(['Yes, withdraw it', 'No, keep it']);
    expect(chat.state.flow).toEqual({ kind: 'withdraw-mine', referral: { id: 'r2', activityName: 'Time to Dance', createdAt: '2026-04-02T10:00:00Z' } });

    const reason = await chat.say('yes');
    expect(reason.replies[0]?.text).toBe('Why is it being withdrawn? The reason is kept with the referral.');
    expect(reason.replies[0]?.quickReplies).toEqual([
      { label: 'They decided not to go', value: 'person declined' },
      { label: 'No longer needed', value: 'no longer needed' },
      { label: 'Referred elsewhere', value: 'referred elsewhere' },
      { label: 'Another reason', value: 'other' },
      { label: 'Cancel', value: 'cancel' },
    ]);
    const unclear = await chat.say('because');
    expect(unclear.replies[0]?.text).toMatch(/^Please choose one of these\. Why is it being withdrawn\?/);
    expect(referrals.calls.some((call) => call.operation === 'withdrawReferral')).toBe(false);

    const done = await chat.say('no longer needed');
    expect(referrals.calls.at(-1)).toEqual({ operation: 'withdrawReferral', input: { id: 'r2', reason: 'NO_LONGER_NEEDED' }, options: { token } });
    expect(texts(done.replies)).toEqual([
      'Done. The referral to Time to Dance has been withdrawn (no longer needed). This is where it is now:',
      [
        'Time to Dance, for J. B.',
        'Reference: r2',
        'Status: withdrawn (no longer needed) (since 4 May 2026)',
        'Pathway: community link worker → GP',
        'Agreed to: sharing their details with the organiser; being contacted about the referral',
        'Not agreed to: telling their GP practice the outcome',
        'Latest changes:',
        '• 4 May 2026: withdrawn (no longer needed)',
        '• 3 May 2026: accepted',
        '• 2 April 2026: sent',
      ].join('\n'),
    ]);
    expect(labels(done.replies[1])).toEqual(['My referrals', 'Start again']);
    expect(done.summary).toEqual({ intent: 'answer', outcome: 'withdrawn', flow: 'withdraw-mine' });
    expect(chat.state.flow).toBeUndefined();
    expect(chat.state.opened).toBeUndefined();
    expect((await chat.say('my referrals')).replies[0]?.text).toContain('1. Time to Dance – for J. B. – sent 2 April 2026 – withdrawn');
  });

  it('takes the typed reasons and "withdraw it" as answers too', async () => {
    for (const [typed, reason] of [
      ['They decided not to go', 'PERSON_DECLINED'],
      ['referred elsewhere', 'REFERRED_ELSEWHERE'],
      ['Another reason', 'OTHER'],
    ] as const) {
      const { chat, referrals } = await listed();
      await chat.say('open 1');
      await chat.say('withdraw referral r2');
      await chat.say('withdraw it');
      await chat.say(typed);
      expect(referrals.calls.at(-1)).toMatchObject({ operation: 'withdrawReferral', input: { id: 'r2', reason } });
    }
  });

  it('keeps it on "no", and cancel, help, "talk to a person", my referrals, safety and sign out work at each step without withdrawing', async () => {
    const { chat, referrals } = await listed();
    const start = async (confirmed: boolean) => {
      await chat.say('my referrals');
      await chat.say('open 1');
      await chat.say('withdraw referral r2');
      if (confirmed) await chat.say('yes');
    };
    await start(false);
    const kept = await chat.say('no');
    expect(kept.replies[0]?.text).toBe('OK. I have not withdrawn it: the referral carries on as before.');
    expect(chat.state.flow).toBeUndefined();

    for (const confirmed of [false, true]) {
      await start(confirmed);
      const question = confirmed ? 'Why is it being withdrawn?' : 'Withdraw the referral to Time to Dance';
      const help = await chat.say('help');
      expect(help.replies[0]?.text).toBe(
        'You are withdrawing a referral you made. Answer the question below, or type “cancel” to stop. Nothing changes until you say yes and choose a reason.',
      );
      expect(help.replies[1]?.text).toContain(question);
      const person = await chat.say('talk to a person');
      expect(person.replies[0]?.text).toMatch(/^I am a computer program/);
      expect(person.replies[1]?.text).toContain(question);
      const cancelled = await chat.say('cancel');
      expect(cancelled.replies[0]?.text).toBe("OK, I've stopped. Your referral has not been withdrawn.");
      expect(chat.state.flow).toBeUndefined();
      expect(chat.state.session).toBeDefined();

      await start(confirmed);
      const list = await chat.say('my referrals');
      expect(list.replies[0]?.text).toMatch(/^Your 2 referrals:/);
      expect(chat.state.flow).toBeUndefined();

      await start(confirmed);
      const safety = await chat.say("I can't go on");
      expect(safety.summary).toEqual({ intent: 'safety', concern: 'suicide' });
      expect(chat.state.flow).toBeUndefined();
      expect(chat.state.listed).toBeUndefined();
    }

    await start(true);
    const out = await chat.say('sign out');
    expect(out.replies[0]?.text).toBe("You're signed out. The referral has not been withdrawn.");
    expect(chat.state).toEqual({ results: [], shown: 0, capped: false });
    expect(referrals.calls.some((call) => call.operation === 'withdrawReferral')).toBe(false);
    expect(referrals.referrals[0]?.status).toBe('ACCEPTED');
  });

  it.each([
    ['FORBIDDEN', /^The referral service did not let you withdraw this referral: only the professional who made it, or their organisation, can\. Nothing has changed\.$/, ['My referrals', 'Start again']],
    ['NOT_FOUND', /^I cannot find that referral any more, or you can no longer see it, so nothing has been withdrawn\.$/, ['My referrals', 'Start again']],
    ['INVALID_STATUS_TRANSITION', /^This referral has already ended, so it cannot be withdrawn: .* Nothing has changed\. Open it to see where it is\.$/, ['Open it', 'My referrals']],
    ['CONFLICT', /^The referral changed just as I tried to withdraw it, so I have not withdrawn it\./, ['Open it', 'My referrals']],
    ['RATE_LIMITED', /^Too many requests have been sent from here in a short time, so I have not withdrawn it yet\. Please wait 2 minutes, then try again\.$/, ['Try again', 'My referrals']],
    ['UNAVAILABLE', /^I could not reach the referral service, so the referral has not been withdrawn\. Please try again in a few minutes\.$/, ['Try again', 'My referrals']],
  ])('answers %s calmly, and nothing is withdrawn', async (code, text, buttons) => {
    const { chat, referrals } = await listed();
    await chat.say('open 1');
    await chat.say('withdraw referral r2');
    await chat.say('yes');
    referrals.failNext('withdrawReferral', { code, ...(code === 'RATE_LIMITED' ? { retryAfterSeconds: 120 } : {}) });
    const refused = await chat.say('person declined');
    expect(refused.replies).toHaveLength(1);
    expect(refused.replies[0]?.text).toMatch(text);
    expect(labels(refused.replies[0])).toEqual(buttons);
    expect(refused.summary).toEqual({ intent: 'answer', outcome: 'failed', flow: 'withdraw-mine', problem: code });
    expect(chat.state.flow).toBeUndefined();
    expect(referrals.referrals[0]?.status).toBe('ACCEPTED');
    // "Open it" shows it again; "Try again" asks again, from "are you sure?".
    const next = await chat.say(refused.replies[0]!.quickReplies![0]!.value);
    if (buttons[0] === 'Open it') expect(next.replies[0]?.text).toBe(TIME_TO_DANCE);
    if (buttons[0] === 'Try again') expect(next.replies[0]?.text).toMatch(/^Withdraw the referral to Time to Dance, sent 2 April 2026\?/);
  });

  it('asks to sign in again when the sign-in has run out, withdraws nothing, and then shows the referral again', async () => {
    const { chat, referrals, clock } = await listed();
    await chat.say('open 1');
    await chat.say('withdraw referral r2');
    await chat.say('yes');
    referrals.failNext('withdrawReferral', { code: 'UNAUTHENTICATED' });
    const refused = await chat.say('other');
    expect(refused.replies[0]?.text).toBe(
      'Your sign-in has run out, so nothing has been withdrawn. Please paste a new sign-in token: I will show the referral again, and you can withdraw it from there. Or type “cancel”.',
    );
    expect(refused.replies[0]?.inputHint).toBe('secret');
    expect(chat.state.session).toBeUndefined();
    expect(chat.state.flow).toEqual({ kind: 'sign-in', then: { kind: 'open-referral', id: 'r2' } });
    const again = await chat.say(gpToken(NOW));
    expect(again.replies[1]?.text).toBe(TIME_TO_DANCE);
    expect(referrals.referrals[0]?.status).toBe('ACCEPTED');

    // Run out in the bot's own clock: the same, without calling the service.
    await chat.say('withdraw referral r2');
    await chat.say('yes');
    clock.now = NOW + 3_600_000;
    const expired = await chat.say('no longer needed');
    expect(expired.replies[0]?.text).toMatch(/^Your sign-in has run out, so nothing has been withdrawn\./);
    expect(referrals.calls.filter((call) => call.operation === 'withdrawReferral')).toHaveLength(1);
  });

  it('says so calmly when a referral cannot be opened: not found, service down, sign-in run out', async () => {
    const { chat, referrals } = await listed();
    referrals.failNext('referral', { code: 'NOT_FOUND' });
    expect((await chat.say('open 1')).replies[0]?.text).toBe('I cannot find that referral, or it is not one you can see. Please choose one from “My referrals”.');
    referrals.failNext('referral', { code: 'UNAVAILABLE' });
    const down = await chat.say('open 1');
    expect(down.replies[0]?.text).toBe('I cannot get that referral at the moment. Please try again in a few minutes.');
    expect(down.replies[0]?.quickReplies?.[0]).toEqual({ label: 'Try again', value: 'open r2' });
    expect((await chat.say('open r2')).replies[0]?.text).toBe(TIME_TO_DANCE);
    referrals.failNext('referral', { code: 'UNAUTHENTICATED' });
    const expired = await chat.say('open 1');
    expect(expired.replies[0]?.text).toMatch(/^Your sign-in has run out\. Please paste a new sign-in token, and I will show the referral\./);
    expect(expired.replies[0]?.inputHint).toBe('secret');
    expect((await chat.say(gpToken(NOW))).replies.at(-1)?.text).toBe(TIME_TO_DANCE);
  });

  it('sends a signed-in professional’s "cancel my referral" to their list to pick one, not to the SP-reference flow', async () => {
    for (const words of ['cancel my referral', 'withdraw my referral', 'withdraw', "I don't want to go any more"]) {
      const { chat, referrals } = await listed();
      await chat.say('start again');
      const asked = await chat.say(words);
      expect(texts(asked.replies)[0]).toBe('To withdraw a referral, open it from your list below, then choose “Withdraw this referral”.');
      expect(asked.replies[1]?.text).toMatch(/^Your 2 referrals:\n1\. Time to Dance/);
      expect(chat.state.flow).toBeUndefined();
      expect(referrals.calls.at(-1)?.operation).toBe('myReferrals');
    }
    // "withdraw 1" from the list opens it first: they withdraw only what they have in front of them.
    const { chat, referrals } = await listed();
    const shown = await chat.say('withdraw 1');
    expect(shown.replies[0]?.text).toBe(TIME_TO_DANCE);
    expect(chat.state.flow).toBeUndefined();
    expect((await chat.say('withdraw 1')).replies[0]?.text).toMatch(/^Withdraw the referral to Time to Dance/);
    expect(referrals.calls.some((call) => call.operation === 'withdrawReferral')).toBe(false);
  });

  it('leaves the public flow as it was for people who are not signed in, and for an SP-… reference', async () => {
    const { chat, referrals } = setUp();
    const asked = await chat.say('cancel my referral');
    expect(asked.replies[0]?.text).toBe('To withdraw a referral, I need its reference. It starts with SP, like SP-4K7QX-M2D9B. What is your reference?');
    expect(chat.state.flow).toEqual({ kind: 'withdraw' });
    await chat.say('cancel');
    // Signed out again: the public flow.
    await chat.say('sign in');
    await chat.say(gpToken(NOW));
    await chat.say('sign out');
    expect((await chat.say('withdraw my referral')).replies[0]?.text).toMatch(/^To withdraw a referral, I need its reference\./);
    await chat.say('cancel');
    // A signed-in professional who gives an SP-… reference means a self-referral.
    await chat.say('sign in');
    await chat.say(gpToken(NOW));
    const byReference = await chat.say('withdraw SP-4K7QX-M2D9B');
    expect(byReference.replies[0]?.text).toBe('Withdraw your referral SP-4K7QX-M2D9B? The organiser will be told you are no longer coming.');
    // "show 2" from someone with no referrals in view is a search, as before.
    await chat.say('cancel');
    await chat.say('sign out');
    expect((await chat.say('show 2')).summary.intent).toBe('search');
    expect(referrals.calls.filter((call) => ['myReferrals', 'referral', 'withdrawReferral'].includes(call.operation))).toEqual([]);
  });
});
