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
      ['Your 2 referrals:', '• Time to Dance – for J. B. – sent 2 May 2026 – accepted', '• Telephone befriending – sent 28 April 2026 – sent, not opened yet'].join('\n'),
    );
    expect(referrals.calls.at(-1)).toMatchObject({ operation: 'myReferrals', input: { first: 5 } });
    referrals.failNext('myReferrals', { code: 'UNAVAILABLE' });
    expect((await chat.say('my referrals')).replies[0]?.text).toBe('I cannot get your referrals at the moment. Please try again in a few minutes.');
  });
});
