import { describe, expect, it } from 'vitest';
import { classify } from '../src/conversation/intent';
import type { ConversationDeps } from '../src/conversation/types';
import { fakeReferrals, REFERENCE, SECRET, SELF_ACTIVITY } from './support/fake-referrals';
import { fixturePlaces } from './support/places';
import { conversation, labels, suggestions, tableSearch, texts, values } from './support/transcript';

const NOW = Date.parse('2026-05-04T09:00:00Z');

function setUp() {
  const search = tableSearch({ 'singing in Glasgow': suggestions('act-singing-memory', 'act-time-to-dance') });
  const referrals = fakeReferrals();
  let keys = 0;
  const deps: ConversationDeps = {
    search,
    places: fixturePlaces,
    referrals,
    now: () => NOW,
    newIdempotencyKey: () => `key-${(keys += 1)}`,
    client: { clientAddress: '192.0.2.44' },
  };
  return { chat: conversation(deps), referrals };
}

async function joining() {
  const setup = setUp();
  const results = await setup.chat.say('singing in Glasgow');
  const explained = await setup.chat.say(results.replies.at(-1)!.quickReplies![0]!.value);
  return { ...setup, results, explained };
}

async function fillIn(chat: ReturnType<typeof conversation>) {
  await chat.say('yes');
  await chat.say('Sam');
  await chat.say('07912 345678');
  await chat.say('Text message');
  await chat.say('67');
  return chat.say('I use a walking stick');
}

describe('asking to join', () => {
  it('explains in plain words what will be shared and with whom, and asks for consent', async () => {
    const { results, explained, chat } = await joining();
    expect(results.replies.at(-1)?.quickReplies?.[0]).toEqual({ label: 'Ask to join: Singing for memory', value: 'join act-singing-memory' });
    expect(texts(explained.replies)).toEqual([
      [
        'Asking to join Singing for memory',
        'If you go ahead, I will send Clydeside Voices, who run it, your first name, your age, how to contact you, and anything you choose to tell them. They will use these only to contact you about joining.',
        'The social prescribing service keeps a record of your request, so you can check on it later.',
        'Nothing is sent until you say so at the end.',
      ].join('\n'),
      'Do you agree to share these details with Clydeside Voices?',
    ]);
    expect(labels(explained.replies[1])).toEqual(['Yes', 'No']);
    expect(explained.summary).toEqual({ intent: 'join', outcome: 'asked', flow: 'join', step: 'consent' });
    expect((await chat.say('hmm')).replies[0]?.text).toBe('Please answer yes or no. Do you agree to share these details with Clydeside Voices?');
  });

  it('stops and keeps nothing when they say no', async () => {
    const { chat, referrals } = await joining();
    const no = await chat.say('no thanks');
    expect(texts(no.replies)).toEqual(["That's fine. I have not sent or kept anything."]);
    expect(chat.state.flow).toBeUndefined();
    expect(referrals.calls).toEqual([]);
  });

  it('asks for a name, contact details and the way to contact them, then sends it and shows the reference and secret once', async () => {
    const { chat, referrals } = await joining();
    expect((await chat.say('yes')).replies[0]?.text).toBe('What is your first name? Or the name you would like them to use.');
    expect((await chat.say('Sam')).replies[0]?.text).toBe('How can Clydeside Voices contact you? Type your phone number or your email address.');
    const preference = await chat.say('07912 345678');
    expect(preference.replies[0]?.text).toBe('Would you prefer a phone call or a text message?');
    expect((await chat.say('Text message')).replies[0]?.text).toBe(
      'How old are you? Clydeside Voices uses this to check the activity suits you. Type your age, like 67.',
    );
    expect((await chat.say('67')).replies[0]?.text).toMatch(/^Is there anything you would like Clydeside Voices to know\?/);
    const summary = await chat.say('I use a walking stick');
    expect(summary.replies[0]?.text).toBe(
      [
        'Please check these details before I send them.',
        'Activity: Singing for memory, run by Clydeside Voices',
        'Name: Sam',
        'Phone: 07912 345678',
        'Contact by: text message',
        'Age: 67',
        'For the organiser: I use a walking stick',
        'Shall I send them?',
      ].join('\n'),
    );
    expect(labels(summary.replies[0])).toEqual(['Send', 'Cancel']);

    const sent = await chat.say('send');
    expect(texts(sent.replies)).toEqual([
      'Done. Your request to join Singing for memory has been sent to Clydeside Voices.',
      `Your reference: ${REFERENCE}\nYour secret: ${SECRET}\nPlease write both down now. You need both to check on your request, and I cannot show you the secret again.`,
      'What happens next: Clydeside Voices will contact you by text message to talk about joining. To see how your request is going, type “check my referral” at any time.',
    ]);
    expect(referrals.calls).toEqual([
      {
        operation: 'createSelfReferral',
        input: {
          activityId: 'act-singing-memory',
          idempotencyKey: 'key-1',
          person: { name: 'Sam', contactPreference: 'TEXT_MESSAGE', phone: '07912 345678', ageYears: 67, whatMattersToMe: 'I use a walking stick' },
          consents: [{ purpose: 'SHARE_WITH_PROVIDER', granted: true }],
        },
        options: { clientAddress: '192.0.2.44' },
      },
    ]);
    // Neither the secret nor any personal detail stays in the state once it is shown.
    expect(JSON.stringify(chat.state)).not.toMatch(new RegExp(`${SECRET}|${REFERENCE}|Sam|07912|walking stick`));
    expect(chat.state.flow).toBeUndefined();
    expect(JSON.stringify(chat.summaries())).not.toMatch(new RegExp(`Sam|07912|walking stick|${SECRET}`));
  });

  it('takes an email as the way to contact them without asking, and "skip" for the note', async () => {
    const { chat, referrals } = await joining();
    await chat.say('yes');
    await chat.say('Sam');
    expect((await chat.say('sam@example.org')).replies[0]?.text).toMatch(/^How old are you\?/);
    await chat.say('67');
    expect((await chat.say('skip')).replies[0]?.text).not.toContain('For the organiser');
    await chat.say('send');
    expect(referrals.calls[0]?.input).toMatchObject({ person: { name: 'Sam', contactPreference: 'EMAIL', email: 'sam@example.org', ageYears: 67 } });
  });

  it('keeps the request, and its key, when sending fails for now', async () => {
    const { chat, referrals } = await joining();
    await fillIn(chat);
    referrals.failNext('createSelfReferral', { code: 'UNAVAILABLE' }, { code: 'RATE_LIMITED', retryAfterSeconds: 600 });
    expect((await chat.say('send')).replies[0]?.text).toMatch(/^I could not reach the referral service, so nothing has been sent yet\./);
    expect((await chat.say('Try again')).replies[0]?.text).toBe(
      'Too many requests have been sent from here in a short time. Please wait 10 minutes, then try again. I have kept the details until then.',
    );
    expect((await chat.say('send')).replies[1]?.text).toContain(SECRET);
    expect(referrals.calls.map((call) => (call.input as { idempotencyKey: string }).idempotencyKey)).toEqual(['key-1', 'key-1', 'key-1']);
  });

  it('asks again for a detail the service did not accept', async () => {
    const { chat, referrals } = await joining();
    await fillIn(chat);
    referrals.failNext('createSelfReferral', { code: 'INVALID_PHONE', field: 'person.phone' });
    const failed = await chat.say('send');
    expect(texts(failed.replies)).toEqual([
      'Sorry, the phone number was not accepted.',
      'How can Clydeside Voices contact you? Type your phone number or your email address.',
    ]);
  });

  it('drops the details on cancel, and on a safety phrase, at any point', async () => {
    for (const stop of ['cancel', 'I am scared of my partner']) {
      const { chat } = await joining();
      await chat.say('yes');
      await chat.say('Sam');
      await chat.say('sam@example.org');
      const stopped = await chat.say(stop);
      expect(chat.state.flow).toBeUndefined();
      expect(JSON.stringify(chat.state)).not.toMatch(/Sam|example/);
      if (stop === 'cancel') expect(stopped.summary).toMatchObject({ intent: 'restart', outcome: 'cancelled' });
      else expect(texts(stopped.replies).join('\n')).toContain('999');
    }
  });

  it('answers a very long message or nonsense calmly, and the flow carries on', async () => {
    const { chat } = await joining();
    await chat.say('yes');
    expect((await chat.say('!!!')).replies[0]?.text).toBe('That does not look like a name. Please type just your name, in letters.');
    await chat.say('Sam');
    expect((await chat.say('a'.repeat(3000))).replies[0]?.text).toMatch(/^I need a phone number or an email address\./);
    expect(chat.state.flow).toMatchObject({ kind: 'join', draft: { person: { name: 'Sam' } } });
  });

  it('keeps a name given with a number that will not do, says so, and asks for the contact again', async () => {
    const { chat } = await joining();
    await chat.say('yes');
    const answered = await chat.say('Sam Taylor, 07700 900123');
    expect(texts(answered.replies)[0]).toBe(
      'Thank you, I have the name. That phone number does not look right. Please give a UK number, or an international one starting with +.',
    );
    expect(texts(answered.replies)[1]).toMatch(/contact you/);
    expect(chat.state.flow).toMatchObject({ kind: 'join', draft: { person: { name: 'Sam Taylor' } } });
    expect(JSON.stringify(chat.state)).not.toContain('900123');
  });
});

describe('checking a request', () => {
  it('asks for the reference, then the secret (as a secret), and says the status in plain words', async () => {
    const { chat, referrals } = setUp();
    const asked = await chat.say('check my referral');
    expect(asked.replies[0]?.text).toBe('What is your reference? It starts with SP, like SP-4K7QX-M2D9B.');
    expect((await chat.say('my reference')).replies[0]?.text).toMatch(/^That does not look like a reference\./);
    const secret = await chat.say('sp 4k7qx m2d9b');
    expect(secret.replies[0]?.inputHint).toBe('secret');
    const status = await chat.say(SECRET);
    expect(status.replies[0]?.text).toBe(
      `Your request to join ${SELF_ACTIVITY} (${REFERENCE}): the organiser has accepted it. They will be in touch about joining. Last updated 4 May 2026.`,
    );
    expect(referrals.calls).toEqual([
      { operation: 'selfReferralStatus', input: { reference: REFERENCE, secret: SECRET }, options: { clientAddress: '192.0.2.44' } },
    ]);
    expect(JSON.stringify(chat.state)).not.toContain(SECRET);
    expect(JSON.stringify(chat.summaries())).not.toContain(SECRET);
  });

  it('still says the status, by its reference, when the directory could not give the activity’s name', async () => {
    const { chat, referrals } = setUp();
    referrals.selfActivityName = null;
    await chat.say('check my referral');
    await chat.say(REFERENCE);
    const status = await chat.say(SECRET);
    expect(status.replies[0]?.text).toBe(`Your request ${REFERENCE}: the organiser has accepted it. They will be in touch about joining. Last updated 4 May 2026.`);
    expect(labels(status.replies[0])).toEqual(['Withdraw this referral', 'Start again']);
    expect(status.summary).toEqual({ intent: 'answer', outcome: 'status', flow: 'check' });
  });

  it('says calmly when nothing matches, or when it has been tried too often', async () => {
    const { chat, referrals } = setUp();
    await chat.say('check my referral');
    await chat.say(REFERENCE);
    expect((await chat.say('WRONG-WRONG-WRONG-WRONG')).replies[0]?.text).toBe(
      'I could not find a request with that reference and secret. Please check both and try again.',
    );
    referrals.failNext('selfReferralStatus', { code: 'RATE_LIMITED', retryAfterSeconds: 30 });
    await chat.say('check my referral');
    await chat.say(REFERENCE);
    expect((await chat.say(SECRET)).replies[0]?.text).toMatch(/^Too many requests have been sent from here in a short time\. Please wait a minute/);
    expect(chat.state.flow).toBeUndefined();
  });

  it('lets the person cancel or ask for help instead of typing the secret', async () => {
    const { chat, referrals } = setUp();
    await chat.say('check my referral');
    await chat.say(REFERENCE);
    const help = await chat.say('help');
    expect(help.replies.at(-1)?.inputHint).toBe('secret');
    await chat.say('cancel');
    expect(chat.state.flow).toBeUndefined();
    expect(referrals.calls).toEqual([]);
  });
});

describe('withdrawing a request', () => {
  // After a status check the activity's name is known; asked for from scratch, only the reference.
  const CONFIRM_NAMED = `Withdraw your request to join ${SELF_ACTIVITY}? The organiser will be told you are no longer coming.`;
  const CONFIRM = `Withdraw your referral ${REFERENCE}? The organiser will be told you are no longer coming.`;
  const ASK_SECRET = 'To withdraw it, please type your secret. It is 20 letters and numbers, like ABCDE-FGHJK-MNPQR-STVWX. I will not show it in the chat.';

  async function checked() {
    const setup = setUp();
    await setup.chat.say('check my referral');
    await setup.chat.say(REFERENCE);
    const status = await setup.chat.say(SECRET);
    return { ...setup, status };
  }

  it('is offered after a status check, with the reference in the button, while the request can still be withdrawn', async () => {
    const { status } = await checked();
    expect(labels(status.replies[0])).toEqual(['Withdraw this referral', 'Start again']);
    expect(values(status.replies[0])[0]).toBe(`withdraw ${REFERENCE}`);

    for (const closed of ['WITHDRAWN', 'COMPLETED', 'DECLINED', 'CANCELLED'] as const) {
      const { chat, referrals } = setUp();
      referrals.selfStatus = closed;
      await chat.say('check my referral');
      await chat.say(REFERENCE);
      expect(labels((await chat.say(SECRET)).replies[0])).toEqual(['Start again']);
    }
  });

  it('asks for a clear confirmation naming the activity, then the secret (as a secret), withdraws it, and the status afterwards is withdrawn', async () => {
    const { chat, referrals } = await checked();
    const confirm = await chat.say(`withdraw ${REFERENCE}`);
    expect(texts(confirm.replies)).toEqual([CONFIRM_NAMED]);
    expect(labels(confirm.replies[0])).toEqual(['Yes, withdraw it', 'No, keep it']);
    expect(confirm.summary).toEqual({ intent: 'withdraw-referral', outcome: 'asked', flow: 'withdraw', step: 'confirm' });

    const secret = await chat.say('yes');
    expect(texts(secret.replies)).toEqual([ASK_SECRET]);
    expect(secret.replies[0]?.inputHint).toBe('secret');
    expect(chat.state.flow).toEqual({ kind: 'withdraw', reference: REFERENCE, confirmed: true, activityName: SELF_ACTIVITY });

    const done = await chat.say(SECRET);
    expect(texts(done.replies)).toEqual([
      `Done. Your request to join ${SELF_ACTIVITY} has been withdrawn. The organiser will be told you are no longer coming.\n` +
        'If you change your mind, you can ask to join again, or look for something else, at any time. Just tell me what you are looking for.',
    ]);
    expect(done.summary).toEqual({ intent: 'answer', outcome: 'withdrawn', flow: 'withdraw' });
    expect(chat.state.flow).toBeUndefined();
    expect(referrals.calls.filter((call) => call.operation === 'withdrawSelfReferral')).toEqual([
      { operation: 'withdrawSelfReferral', input: { reference: REFERENCE, secret: SECRET }, options: { clientAddress: '192.0.2.44' } },
    ]);

    await chat.say('check my referral');
    await chat.say(REFERENCE);
    const after = await chat.say(SECRET);
    expect(after.replies[0]?.text).toBe(`Your request to join ${SELF_ACTIVITY} (${REFERENCE}): it has been withdrawn. Last updated 4 May 2026.`);
    expect(labels(after.replies[0])).toEqual(['Start again']);

    // The secret was typed three times: it is in no reply, no summary and no state, ever.
    expect(chat.everything()).not.toContain(SECRET);
  });

  it('names the activity only for the request checked just before; otherwise it asks by the reference, and the answer names it', async () => {
    const { chat } = await checked();
    expect(chat.state.justChecked).toEqual({ reference: REFERENCE, activityName: SELF_ACTIVITY });
    await chat.say('thank you');
    expect(chat.state.justChecked).toBeUndefined();
    expect(texts((await chat.say(`withdraw ${REFERENCE}`)).replies)).toEqual([CONFIRM]);
    await chat.say('yes');
    const done = await chat.say(SECRET);
    expect(texts(done.replies)[0]).toMatch(new RegExp(`^Done\\. Your request to join ${SELF_ACTIVITY} has been withdrawn\\.`));

    const other = await checked();
    expect(texts((await other.chat.say('withdraw SP-00000-00000')).replies)).toEqual([
      'Withdraw your referral SP-00000-00000? The organiser will be told you are no longer coming.',
    ]);
  });

  it('asks and answers by the reference when the directory could not give the activity’s name, and still withdraws', async () => {
    const { chat, referrals } = setUp();
    referrals.selfActivityName = null;
    await chat.say('check my referral');
    await chat.say(REFERENCE);
    await chat.say(SECRET);
    expect(chat.state.justChecked).toBeUndefined();
    expect(texts((await chat.say(`withdraw ${REFERENCE}`)).replies)).toEqual([CONFIRM]);
    expect(texts((await chat.say('maybe')).replies)).toEqual([`Please answer yes or no. Withdraw your referral ${REFERENCE}?`]);
    await chat.say('yes');
    const done = await chat.say(SECRET);
    expect(texts(done.replies)[0]).toMatch(new RegExp(`^Done\\. Your referral ${REFERENCE} has been withdrawn\\. The organiser will be told`));
    expect(done.summary).toEqual({ intent: 'answer', outcome: 'withdrawn', flow: 'withdraw' });
    expect(referrals.selfStatus).toBe('WITHDRAWN');
  });

  it('can be started in the person’s own words, and asks for the reference first', async () => {
    for (const words of ['withdraw my referral', 'Cancel my referral', "I don't want to go any more", 'cancle my referral', 'withdraw SP 4K7QX M2D9B']) {
      const { chat } = setUp();
      const asked = await chat.say(words);
      expect(asked.summary, words).toMatchObject({ intent: 'withdraw-referral', flow: 'withdraw' });
      if (words.includes('SP')) {
        expect(texts(asked.replies)).toEqual([CONFIRM]);
        continue;
      }
      expect(texts(asked.replies)).toEqual(['To withdraw a referral, I need its reference. It starts with SP, like SP-4K7QX-M2D9B. What is your reference?']);
      expect((await chat.say('my reference')).replies[0]?.text).toMatch(/^That does not look like a reference\./);
      expect(texts((await chat.say('sp-4k7qx-m2d9b')).replies)).toEqual([CONFIRM]);
    }
  });

  it('keeps the request when they say no, or cancel, and calls nothing', async () => {
    for (const no of ['No', 'no, keep it', 'cancel']) {
      const { chat, referrals } = await checked();
      await chat.say(`withdraw ${REFERENCE}`);
      const kept = await chat.say(no);
      expect(texts(kept.replies)).toEqual([
        no === 'cancel' ? "OK, I've stopped. Your referral has not been withdrawn." : `OK. I have not withdrawn it: your request to join ${SELF_ACTIVITY} carries on as before.`,
      ]);
      expect(chat.state.flow).toBeUndefined();
      expect(referrals.calls.map((call) => call.operation)).toEqual(['selfReferralStatus']);
    }
    const { chat } = await checked();
    await chat.say(`withdraw ${REFERENCE}`);
    expect(texts((await chat.say('maybe')).replies)).toEqual([`Please answer yes or no. Withdraw your request to join ${SELF_ACTIVITY}?`]);
    expect(texts((await chat.say('withdraw it')).replies)).toEqual([ASK_SECRET]);
  });

  it('says so plainly when the secret is wrong, and keeps nothing', async () => {
    const { chat, referrals } = setUp();
    await chat.say('withdraw my referral');
    await chat.say(REFERENCE);
    await chat.say('yes');
    const wrong = await chat.say('WRONG-WRONG-WRONG-WRONG');
    expect(texts(wrong.replies)).toEqual([
      'I could not find a request with that reference and secret, so nothing has been withdrawn. Please check both and try again.',
    ]);
    expect(values(wrong.replies[0])).toEqual(['withdraw my referral', 'start again']);
    expect(wrong.summary).toEqual({ intent: 'answer', outcome: 'failed', flow: 'withdraw', problem: 'NOT_FOUND' });
    expect(chat.state.flow).toBeUndefined();
    expect(referrals.selfStatus).toBe('ACCEPTED');
    expect(chat.everything()).not.toContain('WRONG-WRONG');
  });

  it('explains when the request has already ended, and when it has been tried too often or the service is down', async () => {
    const ended = setUp();
    ended.referrals.selfStatus = 'COMPLETED';
    await ended.chat.say(`withdraw ${REFERENCE}`);
    await ended.chat.say('yes');
    const closed = await ended.chat.say(SECRET);
    expect(texts(closed.replies)).toEqual([
      `Your referral ${REFERENCE} has already ended, so it cannot be withdrawn. It may have been withdrawn before, cancelled or finished. To see where it is, choose “Check my referral”.`,
    ]);
    expect(labels(closed.replies[0])).toEqual(['Check my referral', 'Start again']);

    const { chat, referrals } = setUp();
    referrals.failNext('withdrawSelfReferral', { code: 'RATE_LIMITED', retryAfterSeconds: 600 }, { code: 'UNAVAILABLE' });
    await chat.say(`withdraw ${REFERENCE}`);
    await chat.say('yes');
    const limited = await chat.say(SECRET);
    expect(texts(limited.replies)).toEqual([
      'Too many requests have been sent from here in a short time, so I could not withdraw it yet. Please wait 10 minutes, then try again.',
    ]);
    expect(limited.replies[0]?.quickReplies?.[0]).toEqual({ label: 'Try again', value: `withdraw ${REFERENCE}` });
    expect(chat.state.flow).toBeUndefined();
    await chat.say(`withdraw ${REFERENCE}`);
    await chat.say('yes');
    expect(texts((await chat.say(SECRET)).replies)).toEqual([
      'I could not reach the referral service, so your referral has not been withdrawn yet. Please try again in a few minutes.',
    ]);
    expect(referrals.selfStatus).toBe('ACCEPTED');
    expect(chat.everything()).not.toContain(SECRET);
  });

  it('still answers safety, help, "talk to a person" and cancel at every step', async () => {
    const { chat, referrals } = setUp();
    await chat.say('withdraw my referral');
    const help = await chat.say('help');
    expect(texts(help.replies)[0]).toBe(
      'You are withdrawing a request you sent. Answer the question below, or type “cancel” to stop. Nothing changes until you say yes and type your secret.',
    );
    await chat.say(REFERENCE);
    const person = await chat.say('talk to a person');
    expect(texts(person.replies).at(-1)).toBe(CONFIRM);
    await chat.say('yes');
    const helpAtSecret = await chat.say('help');
    expect(helpAtSecret.replies.at(-1)?.inputHint).toBe('secret');
    const safety = await chat.say('I want to end it all');
    expect(texts(safety.replies).join('\n')).toContain('116 123');
    expect(chat.state.flow).toBeUndefined();
    expect(referrals.calls).toEqual([]);
  });

  it('does not clash with "cancel": alone it stops what is going on, and while asking to join it stops that, never a request sent before', async () => {
    const { chat, referrals } = setUp();
    expect((await chat.say('cancel')).summary.intent).toBe('restart');

    const results = await chat.say('singing in Glasgow');
    await chat.say(results.replies.at(-1)!.quickReplies![0]!.value);
    await chat.say('yes');
    const stopped = await chat.say('cancel my referral');
    expect(texts(stopped.replies)).toEqual([
      "OK, I've stopped. Nothing was sent, and I have not kept the details. What would you like to look for?",
      'If you meant a request you sent before, type “withdraw my referral”.',
    ]);
    expect(chat.state.flow).toBeUndefined();

    // While checking, "withdraw" carries on with the reference already given.
    await chat.say('check my referral');
    await chat.say(REFERENCE);
    expect(texts((await chat.say('withdraw my referral')).replies)).toEqual([CONFIRM]);
    expect(referrals.calls).toEqual([]);

    // "I don't want to go on any more" is not about a referral.
    expect(classify("I don't want to go on any more")).not.toBe('withdraw-referral');
    expect(classify('cancel my membership')).toBe('search');
    expect(classify('chek my referal')).toBe('check-referral');
  });
});
