import type { Profession } from '@sp/auth/identity';
import type { ReferralDetail, ReferralStatus, ReferralSummary, SelfReferralStatus, WithdrawalReason } from '../referrals/referral-service';
import { PROFESSION_NAMES } from './answers';
import type { ActivityRef, BotReply, ConsentPurpose, ContactPreference, OpenedReferral, PathwayHop, PersonDetails, QuickReply, ReferralDraft, SelfReferralDraft, Session } from './types';

/**
 * What the bot says while asking for a place, signing a professional in, writing a referral,
 * asking to join and checking a request. British English, plain words, short sentences.
 */

export const CANCEL: QuickReply = { label: 'Cancel', value: 'cancel' };
export const SKIP: QuickReply = { label: 'Skip', value: 'skip' };
export const YES_NO: QuickReply[] = [
  { label: 'Yes', value: 'yes' },
  { label: 'No', value: 'no' },
];
export const SIGN_IN: QuickReply = { label: 'Sign in', value: 'sign in' };
export const SIGN_OUT: QuickReply = { label: 'Sign out', value: 'sign out' };
export const MY_REFERRALS: QuickReply = { label: 'My referrals', value: 'my referrals' };
export const CHECK_MY_REFERRAL: QuickReply = { label: 'Check my referral', value: 'check my referral' };
const START_AGAIN: QuickReply = { label: 'Start again', value: 'start again' };
const SEND: QuickReply = { label: 'Send', value: 'send' };
const TRY_AGAIN: QuickReply = { label: 'Try again', value: 'send' };

// ---- Where, and refining results -------------------------------------------------------------

export const wherePlease: BotReply = {
  text: 'Where should it be? Type a town or postcode, or say online or anywhere.',
  quickReplies: [
    { label: 'Online', value: 'online' },
    { label: 'Anywhere', value: 'anywhere' },
  ],
};

export function lookingAsBefore(label: string): string {
  return `Looking ${label}, as before.`;
}

export const REFINEMENT_REPLIES: Record<'free' | 'step-free' | 'online', QuickReply> = {
  free: { label: 'Free only', value: 'free only' },
  'step-free': { label: 'Step-free', value: 'step-free' },
  online: { label: 'Online', value: 'online' },
};

export function noRefinedResults(kind: 'free' | 'step-free' | 'online'): BotReply {
  const what = { free: 'free', 'step-free': 'step-free', online: 'online' }[kind];
  return {
    text: `I could not find any that are also ${what}. The earlier results are still here: type “more” to see more, or try different words.`,
    quickReplies: [START_AGAIN],
  };
}

export function alreadyAsked(kind: 'free' | 'step-free' | 'online'): BotReply {
  const what = { free: 'free', 'step-free': 'step-free', online: 'online' }[kind];
  return { text: `Your search already asks for ${what} activities. Tell me something else to add, or type “start again”.`, quickReplies: [START_AGAIN] };
}

function shortName(name: string): string {
  return name.length <= 28 ? name : `${name.slice(0, 27).trimEnd()}…`;
}

export function referButton(activity: { id: string; name: string }): QuickReply {
  return { label: `Refer: ${shortName(activity.name)}`, value: `refer ${activity.id}` };
}

export function joinButton(activity: { id: string; name: string }): QuickReply {
  return { label: `Ask to join: ${shortName(activity.name)}`, value: `join ${activity.id}` };
}

export const noSuchSuggestion: BotReply = {
  text: 'I cannot find that one in your results. Choose one from the list, or search again.',
  quickReplies: [START_AGAIN],
};

// ---- Signing in ------------------------------------------------------------------------------

export const signInPrompt: BotReply = {
  text: [
    'Professionals can refer people through this chat.',
    'Please paste your sign-in token. I will not show it in the chat.',
    'On a test system, the README explains how to make one.',
  ].join('\n'),
  quickReplies: [CANCEL],
  inputHint: 'secret',
};

export const notAToken: BotReply = {
  text: 'That does not look like a sign-in token. A token is one long line of letters and numbers with two dots in it. Please paste it again, or type “cancel”.',
  quickReplies: [CANCEL],
  inputHint: 'secret',
};

export const tokenExpired: BotReply = {
  text: 'That sign-in token has expired. Please make a new one and paste it here, or type “cancel”.',
  quickReplies: [CANCEL],
  inputHint: 'secret',
};

export const tokenRefused: BotReply = {
  text: 'I could not sign you in with that token. It may have expired, or part of it may be missing. Please paste it again, or type “cancel”.',
  quickReplies: [CANCEL],
  inputHint: 'secret',
};

export const signInUnavailable: BotReply = {
  text: 'I cannot check sign-ins at the moment. Please try again in a few minutes: paste your token again, or type “cancel”.',
  quickReplies: [CANCEL],
  inputHint: 'secret',
};

export const referralsUnavailable: BotReply = {
  text: 'Sorry, referrals through the chat are not available at the moment. You can still look for activities.',
  quickReplies: [START_AGAIN],
};

const ROLE_NAMES: Record<string, string> = { provider: 'a provider', admin: 'an administrator' };

export function notAProfessional(role: string): BotReply {
  return {
    text:
      `That token is for ${ROLE_NAMES[role] ?? 'an account'}, not a professional. ` +
      'Only professionals such as GPs and link workers can refer through the chat. I have not kept the token.',
    quickReplies: [START_AGAIN],
  };
}

function who(session: Session): string {
  const profession = PROFESSION_NAMES[session.profession];
  return session.displayName ? `${session.displayName} (${profession})` : `a ${profession}`;
}

export function signedIn(session: Session, referButtons: QuickReply[]): BotReply {
  return {
    text:
      `You're signed in as ${who(session)}. Find an activity as usual, then choose “Refer” to refer someone to it. ` +
      'Type “my referrals” to see your recent referrals, or “sign out” when you have finished.',
    quickReplies: [...referButtons, MY_REFERRALS, SIGN_OUT],
  };
}

export function alreadySignedIn(session: Session): BotReply {
  return { text: `You're already signed in as ${who(session)}.`, quickReplies: [MY_REFERRALS, SIGN_OUT] };
}

export function signedOut(droppedDraft: boolean): BotReply {
  return {
    text: droppedDraft
      ? "You're signed out. I have dropped the referral you were writing."
      : "You're signed out. You can still look for activities.",
    quickReplies: [START_AGAIN],
  };
}

export const notSignedIn: BotReply = { text: "You're not signed in.", quickReplies: [SIGN_IN] };

export const signInFirstToRefer: BotReply = {
  text: 'To refer someone, please sign in first. Or, to ask to join for yourself, choose “Ask to join” instead.',
};

export const signInFirstForReferrals: BotReply = { text: 'To see your referrals, please sign in first.' };

export const signInAgain: BotReply = {
  text: 'Your sign-in has run out. I have kept the referral you were writing. Please paste a new sign-in token to carry on, or type “cancel”.',
  quickReplies: [CANCEL],
  inputHint: 'secret',
};

// ---- My referrals ----------------------------------------------------------------------------

const PROFESSIONAL_STATUS: Record<ReferralStatus, string> = {
  SENT: 'sent, not opened yet',
  RECEIVED: 'seen by the organiser',
  ACCEPTED: 'accepted',
  ATTENDING: 'attending',
  COMPLETED: 'completed',
  DECLINED: 'declined by the organiser',
  DID_NOT_ATTEND: 'did not attend',
  WITHDRAWN: 'withdrawn',
  CANCELLED: 'cancelled',
};

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });
export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? 'an unknown date' : dateFormat.format(date);
}

/** "J. S." for "Jo Smith": enough to tell referrals apart on a screen others may see. */
function initials(name: string | null): string | null {
  if (!name) return null;
  const letters = name
    .split(/\s+/)
    .filter((part) => /\p{L}/u.test(part))
    .map((part) => `${[...part][0]!.toUpperCase()}.`);
  return letters.length > 0 ? letters.join(' ') : null;
}

const MORE_REFERRALS: QuickReply = { label: 'More', value: 'more' };

function openButton(number: number): QuickReply {
  return { label: `Open ${number}`, value: `open ${number}` };
}

/** One page of "My referrals", numbered from `from`, each with an "Open" button, and "More" when there are more. */
export function myReferrals(totalCount: number, referrals: ReferralSummary[], from = 1, hasMore = false): BotReply {
  if (referrals.length === 0) return { text: 'You have not made any referrals yet.', quickReplies: [START_AGAIN, SIGN_OUT] };
  const to = from + referrals.length - 1;
  const heading =
    from > 1
      ? `Your referrals ${from} to ${to} (of ${totalCount}):`
      : totalCount > referrals.length
        ? `Your ${referrals.length} most recent referrals (of ${totalCount}):`
        : referrals.length === 1
          ? 'Your referral:'
          : `Your ${referrals.length} referrals:`;
  const lines = referrals.map((referral, index) => {
    const person = initials(referral.personName);
    return [
      `${from + index}. ${referral.activityName ?? 'An activity'}`,
      person ? `for ${person}` : null,
      `sent ${formatDate(referral.createdAt)}`,
      PROFESSIONAL_STATUS[referral.status],
    ]
      .filter((part): part is string => part !== null)
      .join(' – ');
  });
  return {
    text: [heading, ...lines, hasMore ? 'Open one to see it in full, or choose “More” for older ones.' : 'Open one to see it in full.'].join('\n'),
    quickReplies: [...referrals.map((_referral, index) => openButton(from + index)), ...(hasMore ? [MORE_REFERRALS] : []), START_AGAIN, SIGN_OUT],
  };
}

export const noMoreReferrals: BotReply = {
  text: 'That is all your referrals. Type “my referrals” to see the latest again.',
  quickReplies: [MY_REFERRALS, START_AGAIN],
};

export const openFromList: BotReply = { text: 'Here are your referrals. Choose the one to open.' };

export function notOnTheList(number: string): BotReply {
  return { text: `There is no number ${number} in the list I showed you. Please choose one from the list.`, quickReplies: [MY_REFERRALS, START_AGAIN] };
}

export const pickToWithdraw: BotReply = {
  text: 'To withdraw a referral, open it from your list below, then choose “Withdraw this referral”.',
};

const STATUS_REASON_NAMES: Record<string, string> = {
  FULL: 'no places',
  NOT_ELIGIBLE: 'not eligible',
  UNABLE_TO_CONTACT: 'could not contact them',
  PERSON_DECLINED: 'the person decided not to go',
  NO_LONGER_NEEDED: 'no longer needed',
  REFERRED_ELSEWHERE: 'referred elsewhere',
  MADE_IN_ERROR: 'made in error',
  ACTIVITY_CANCELLED: 'the activity was cancelled',
  OTHER: 'another reason',
};

/** `inHistory`: a change rather than where it is now ("sent", not "sent, not opened yet"). */
function statusWords(status: ReferralStatus, reason: string | null, inHistory = false): string {
  const words = inHistory && status === 'SENT' ? 'sent' : PROFESSIONAL_STATUS[status];
  const why = reason ? STATUS_REASON_NAMES[reason] : undefined;
  return why ? `${words} (${why})` : words;
}

function hopName(hop: PathwayHop): string {
  return hop === 'SELF' ? 'self-referral' : PROFESSION_NAMES[hop];
}

/** How many of the latest status changes an opened referral shows. */
const HISTORY_SHOWN = 3;

/**
 * One referral, opened from "My referrals": activity, the person's initials (as in the list),
 * status with its date, pathway, consents and the latest status changes. Nothing else about the
 * person: no contact details, notes or "what matters to me".
 */
export function referralDetail(detail: ReferralDetail, withdrawable: boolean): BotReply {
  const person = initials(detail.personName);
  const current = [...detail.history].reverse().find((event) => event.status === detail.status);
  const since = current?.at ?? (detail.status === 'SENT' ? detail.createdAt : detail.updatedAt);
  const agreed = detail.consents.filter((consent) => consent.granted).map((consent) => PURPOSE_NAMES[consent.purpose]);
  const refused = detail.consents.filter((consent) => !consent.granted).map((consent) => PURPOSE_NAMES[consent.purpose]);
  const latest = [...detail.history].reverse().slice(0, HISTORY_SHOWN);
  const lines = [
    `${detail.activityName ?? 'A referral'}${person ? `, for ${person}` : ''}`,
    `Reference: ${detail.id}`,
    `Status: ${statusWords(detail.status, current?.reason ?? null)} (since ${formatDate(since)})`,
    detail.pathway.length > 0 ? `Pathway: ${detail.pathway.map(hopName).join(' → ')}` : null,
    agreed.length > 0 ? `Agreed to: ${agreed.join('; ')}` : 'Agreed to: nothing recorded',
    refused.length > 0 ? `Not agreed to: ${refused.join('; ')}` : null,
    latest.length > 0 ? 'Latest changes:' : null,
    ...latest.map((event) => `• ${formatDate(event.at)}: ${statusWords(event.status, event.reason, true)}`),
  ].filter((line): line is string => line !== null);
  return {
    text: lines.join('\n'),
    quickReplies: [...(withdrawable ? [{ label: 'Withdraw this referral', value: `withdraw referral ${detail.id}` }] : []), MY_REFERRALS, START_AGAIN],
  };
}

export const referralNotFound: BotReply = {
  text: 'I cannot find that referral, or it is not one you can see. Please choose one from “My referrals”.',
  quickReplies: [MY_REFERRALS, START_AGAIN],
};

function openAgain(id: string, label = 'Try again'): QuickReply {
  return { label, value: `open ${id}` };
}

export function referralUnavailable(id: string): BotReply {
  return { text: 'I cannot get that referral at the moment. Please try again in a few minutes.', quickReplies: [openAgain(id), MY_REFERRALS] };
}

export const signInAgainToOpen: BotReply = {
  text: 'Your sign-in has run out. Please paste a new sign-in token, and I will show the referral. Or type “cancel”.',
  quickReplies: [CANCEL],
  inputHint: 'secret',
};

// ---- Withdrawing a professional's referral ----------------------------------------------------

function whichReferral(referral: OpenedReferral): string {
  const sent = `sent ${formatDate(referral.createdAt)}`;
  return referral.activityName ? `the referral to ${referral.activityName}, ${sent}` : `referral ${referral.id}, ${sent}`;
}

const YES_WITHDRAW_MINE: QuickReply[] = [
  { label: 'Yes, withdraw it', value: 'yes' },
  { label: 'No, keep it', value: 'no' },
];

export function confirmWithdrawMine(referral: OpenedReferral): BotReply {
  return {
    text: `Withdraw ${whichReferral(referral)}? The organiser will see that it has been withdrawn. This cannot be undone.`,
    quickReplies: YES_WITHDRAW_MINE,
  };
}

export const askWithdrawalReason: BotReply = {
  text: 'Why is it being withdrawn? The reason is kept with the referral.',
  quickReplies: [
    { label: 'They decided not to go', value: 'person declined' },
    { label: 'No longer needed', value: 'no longer needed' },
    { label: 'Referred elsewhere', value: 'referred elsewhere' },
    { label: 'Another reason', value: 'other' },
    CANCEL,
  ],
};

export const withdrawMineKept: BotReply = {
  text: 'OK. I have not withdrawn it: the referral carries on as before.',
  quickReplies: [MY_REFERRALS, START_AGAIN],
};

export function withdrawnMine(detail: ReferralDetail, reason: WithdrawalReason): BotReply {
  const which = detail.activityName ? `The referral to ${detail.activityName}` : `Referral ${detail.id}`;
  return { text: `Done. ${which} has been withdrawn (${STATUS_REASON_NAMES[reason]}). This is where it is now:` };
}

export const signedOutNotWithdrawn: BotReply = {
  text: "You're signed out. The referral has not been withdrawn.",
  quickReplies: [START_AGAIN],
};

export const signInAgainToWithdraw: BotReply = {
  text: 'Your sign-in has run out, so nothing has been withdrawn. Please paste a new sign-in token: I will show the referral again, and you can withdraw it from there. Or type “cancel”.',
  quickReplies: [CANCEL],
  inputHint: 'secret',
};

export const withdrawForbidden: BotReply = {
  text: 'The referral service did not let you withdraw this referral: only the professional who made it, or their organisation, can. Nothing has changed.',
  quickReplies: [MY_REFERRALS, START_AGAIN],
};

export const withdrawMineNotFound: BotReply = {
  text: 'I cannot find that referral any more, or you can no longer see it, so nothing has been withdrawn.',
  quickReplies: [MY_REFERRALS, START_AGAIN],
};

export function withdrawMineEnded(id: string): BotReply {
  return {
    text: 'This referral has already ended, so it cannot be withdrawn: it may have been completed, declined, withdrawn or cancelled meanwhile. Nothing has changed. Open it to see where it is.',
    quickReplies: [openAgain(id, 'Open it'), MY_REFERRALS],
  };
}

export function withdrawMineConflict(id: string): BotReply {
  return {
    text: 'The referral changed just as I tried to withdraw it, so I have not withdrawn it. Open it to see where it is, then withdraw it if you still want to.',
    quickReplies: [openAgain(id, 'Open it'), MY_REFERRALS],
  };
}

function withdrawMineAgain(id: string): QuickReply {
  return { label: 'Try again', value: `withdraw referral ${id}` };
}

export function withdrawMineRateLimited(id: string, retryAfterSeconds: number | undefined): BotReply {
  return {
    text: `Too many requests have been sent from here in a short time, so I have not withdrawn it yet. Please wait ${minutes(retryAfterSeconds)}, then try again.`,
    quickReplies: [withdrawMineAgain(id), MY_REFERRALS],
  };
}

export function withdrawMineUnavailable(id: string): BotReply {
  return {
    text: 'I could not reach the referral service, so the referral has not been withdrawn. Please try again in a few minutes.',
    quickReplies: [withdrawMineAgain(id), MY_REFERRALS],
  };
}

export const myReferralsUnavailable: BotReply = {
  text: 'I cannot get your referrals at the moment. Please try again in a few minutes.',
  quickReplies: [MY_REFERRALS],
};

// ---- Questions about the person --------------------------------------------------------------

/** Who the questions are about: the person being referred, or the person typing. */
export type Audience = { kind: 'professional'; person: PersonDetails; activity: ActivityRef } | { kind: 'public'; activity: ActivityRef };

function them(audience: Audience): string {
  return audience.kind === 'professional' ? (audience.person.name ?? 'the person') : 'you';
}

export function askName(audience: Audience): BotReply {
  return audience.kind === 'professional'
    ? { text: `Who are you referring to ${audience.activity.name}? Please type their full name.`, quickReplies: [CANCEL] }
    : { text: 'What is your first name? Or the name you would like them to use.', quickReplies: [CANCEL] };
}

export function badName(reason: 'empty' | 'too-long' | 'not-a-name', audience: Audience): BotReply {
  const why = {
    empty: 'I did not get a name.',
    'too-long': 'That is longer than a name usually is.',
    'not-a-name': 'That does not look like a name.',
  }[reason];
  const ask = audience.kind === 'professional' ? 'Please type just their name, in letters.' : 'Please type just your name, in letters.';
  return { text: `${why} ${ask}`, quickReplies: [CANCEL] };
}

export function askContact(audience: Audience): BotReply {
  return audience.kind === 'professional'
    ? {
        text: `How can ${audience.activity.organisationName} contact ${them(audience)}? Type a phone number or an email address, or both.`,
        quickReplies: [CANCEL],
      }
    : { text: `How can ${audience.activity.organisationName} contact you? Type your phone number or your email address.`, quickReplies: [CANCEL] };
}

const CONTACT_PROBLEMS = {
  email: 'That email address does not look right.',
  phone: 'That phone number does not look right. Please give a UK number, or an international one starting with +.',
  none: 'I need a phone number or an email address.',
};

export function badContact(kind: 'email' | 'phone' | 'none'): BotReply {
  return { text: `${CONTACT_PROBLEMS[kind]} Please type it again, for example 07912 345678 or name@example.org.`, quickReplies: [CANCEL] };
}

/** A name came with a phone number or email that could not be used: keep the name, say why. */
export function nameKeptContactNot(kind: 'email' | 'phone'): BotReply {
  return { text: `Thank you, I have the name. ${CONTACT_PROBLEMS[kind]}` };
}

export function askPreference(audience: Audience, person: PersonDetails): BotReply {
  const subject = audience.kind === 'professional' ? `would ${them(audience)}` : 'would you';
  if (person.email && person.phone) {
    return {
      text: `How ${subject} prefer to be contacted?`,
      quickReplies: [
        { label: 'Email', value: 'email' },
        { label: 'Phone call', value: 'phone call' },
        { label: 'Text message', value: 'text message' },
        CANCEL,
      ],
    };
  }
  return {
    text: `${subject.charAt(0).toUpperCase()}${subject.slice(1)} prefer a phone call or a text message?`,
    quickReplies: [
      { label: 'Phone call', value: 'phone call' },
      { label: 'Text message', value: 'text message' },
      CANCEL,
    ],
  };
}

export function askAge(audience: Audience): BotReply {
  return audience.kind === 'professional'
    ? { text: `How old is ${them(audience)}? Type their age, like 72, or their date of birth, like 12/03/1950.`, quickReplies: [CANCEL] }
    : {
        text: `How old are you? ${audience.activity.organisationName} uses this to check the activity suits you. Type your age, like 67.`,
        quickReplies: [CANCEL],
      };
}

export const badAge: BotReply = {
  text: 'Please type an age in years, like 72, or a date of birth, like 12/03/1950.',
  quickReplies: [CANCEL],
};

export function askNote(audience: Audience): BotReply {
  return audience.kind === 'professional'
    ? {
        text: `What matters to ${them(audience)}? In their words, anything that would help the organiser welcome them. Or choose “Skip”.`,
        quickReplies: [SKIP, CANCEL],
      }
    : {
        text: `Is there anything you would like ${audience.activity.organisationName} to know? For example, if you use a wheelchair or would like to bring someone. Or choose “Skip”.`,
        quickReplies: [SKIP, CANCEL],
      };
}

export function noteTooLong(max: number): BotReply {
  return { text: `That is a little long. Please keep it under ${max.toLocaleString('en-GB')} characters, or choose “Skip”.`, quickReplies: [SKIP, CANCEL] };
}

// ---- A professional's referral ---------------------------------------------------------------

export const CONSENT_PURPOSES: ConsentPurpose[] = ['SHARE_WITH_PROVIDER', 'FOLLOW_UP_CONTACT', 'TELL_GP_OUTCOME', 'ANONYMISED_RESEARCH'];

export function askConsent(purpose: ConsentPurpose, draft: ReferralDraft): BotReply {
  const name = draft.person.name ?? 'the person';
  const question = {
    SHARE_WITH_PROVIDER: `Has ${name} agreed to you sharing these details with ${draft.activity.organisationName}, who run ${draft.activity.name}? The referral cannot be sent without this.`,
    FOLLOW_UP_CONTACT: `Has ${name} agreed to be contacted about how the referral is going, for example to ask for feedback?`,
    TELL_GP_OUTCOME: `Has ${name} agreed that their GP practice can be told the outcome?`,
    ANONYMISED_RESEARCH: `Has ${name} agreed that their results can be used, without their name, to see how well activities work?`,
  }[purpose];
  return { text: question, quickReplies: [...YES_NO, CANCEL] };
}

export const yesOrNo: BotReply = { text: 'Please answer yes or no.', quickReplies: [...YES_NO, CANCEL] };

export function cannotReferWithoutConsent(draft: ReferralDraft): BotReply {
  return {
    text: `Then I cannot send this referral: ${draft.activity.organisationName} can only be sent it with ${draft.person.name ?? 'the person'}'s agreement. I have not kept the details.`,
    quickReplies: [START_AGAIN],
  };
}

export function askGpPractice(draft: ReferralDraft): BotReply {
  return {
    text: `What is the code of ${draft.person.name ?? 'their'}'s GP practice? It is a letter and five numbers, like A12345. Or choose “Skip”.`,
    quickReplies: [SKIP, CANCEL],
  };
}

export const badGpPractice: BotReply = {
  text: 'A GP practice code is a letter and five numbers, like A12345. Please type it again, or choose “Skip”.',
  quickReplies: [SKIP, CANCEL],
};

export function askPathway(draft: ReferralDraft, own: Profession): BotReply {
  const others = (Object.keys(PROFESSION_NAMES) as Profession[]).filter((profession) => profession !== own);
  return {
    text: `Did ${draft.person.name ?? 'the person'} come to you through anyone else? For example, a GP who sent them to you. If not, choose “Just me”.`,
    quickReplies: [
      { label: `Just me (${PROFESSION_NAMES[own]})`, value: 'just me' },
      ...others.map((profession) => ({ label: `Via ${PROFESSION_NAMES[profession]}`, value: `via ${PROFESSION_NAMES[profession]}` })),
      CANCEL,
    ],
  };
}

export const badPathway: BotReply = {
  text: 'Please choose who the person came through, such as “Via GP”, or “Just me” if they came to you directly.',
};

const PREFERENCE_NAMES: Record<ContactPreference, string> = { EMAIL: 'email', PHONE: 'phone call', TEXT_MESSAGE: 'text message' };

function contactLines(person: PersonDetails): string[] {
  return [
    person.email ? `Email: ${person.email}` : null,
    person.phone ? `Phone: ${person.phone}` : null,
    person.contactPreference ? `Contact by: ${PREFERENCE_NAMES[person.contactPreference]}` : null,
    person.dateOfBirth ? `Date of birth: ${formatDate(`${person.dateOfBirth}T12:00:00Z`)}` : person.ageYears !== undefined ? `Age: ${person.ageYears}` : null,
  ].filter((line): line is string => line !== null);
}

const PURPOSE_NAMES: Record<ConsentPurpose, string> = {
  SHARE_WITH_PROVIDER: 'sharing their details with the organiser',
  FOLLOW_UP_CONTACT: 'being contacted about the referral',
  TELL_GP_OUTCOME: 'telling their GP practice the outcome',
  ANONYMISED_RESEARCH: 'their results being used without their name',
};

export function referralSummary(draft: ReferralDraft, own: Profession): BotReply {
  const agreed = CONSENT_PURPOSES.filter((purpose) => draft.consents[purpose] === true).map((purpose) => PURPOSE_NAMES[purpose]);
  const refused = CONSENT_PURPOSES.filter((purpose) => draft.consents[purpose] === false).map((purpose) => PURPOSE_NAMES[purpose]);
  const pathway = (draft.pathway ?? [own]).map((hop, index, hops) =>
    index === hops.length - 1 ? `${hop === 'SELF' ? 'self' : PROFESSION_NAMES[hop]} (you)` : hop === 'SELF' ? 'self' : PROFESSION_NAMES[hop],
  );
  const lines = [
    'Please check this referral before I send it.',
    `Activity: ${draft.activity.name}, run by ${draft.activity.organisationName}`,
    `Name: ${draft.person.name ?? ''}`,
    ...contactLines(draft.person),
    `Agreed to (as they told you): ${agreed.join('; ')}`,
    refused.length > 0 ? `Not agreed to: ${refused.join('; ')}` : null,
    draft.gpPracticeCode ? `GP practice: ${draft.gpPracticeCode}` : null,
    draft.person.whatMattersToMe ? `What matters to them: ${draft.person.whatMattersToMe}` : null,
    `Pathway: ${pathway.join(' → ')}`,
    'Shall I send it?',
  ].filter((line): line is string => line !== null);
  return { text: lines.join('\n'), quickReplies: [{ label: 'Send referral', value: 'send' }, CANCEL] };
}

export const sendOrCancel: BotReply = { text: 'Please choose “Send referral” to send it, or “Cancel” to stop.', quickReplies: [{ label: 'Send referral', value: 'send' }, CANCEL] };

export function referralSent(draft: ReferralDraft, id: string): BotReply {
  const how = draft.person.contactPreference ? ` by ${PREFERENCE_NAMES[draft.person.contactPreference]}` : '';
  return {
    text:
      `Referral sent. Its reference is ${id}. ${draft.activity.organisationName} will contact ${draft.person.name ?? 'the person'}${how}. ` +
      'You can follow its progress under “My referrals”.',
    quickReplies: [MY_REFERRALS, START_AGAIN],
  };
}

// ---- Asking to join --------------------------------------------------------------------------

export function explainJoin(activity: ActivityRef): BotReply[] {
  return [
    {
      text: [
        `Asking to join ${activity.name}`,
        `If you go ahead, I will send ${activity.organisationName}, who run it, your first name, your age, how to contact you, and anything you choose to tell them. They will use these only to contact you about joining.`,
        'The social prescribing service keeps a record of your request, so you can check on it later.',
        'Nothing is sent until you say so at the end.',
      ].join('\n'),
    },
    { text: `Do you agree to share these details with ${activity.organisationName}?`, quickReplies: YES_NO },
  ];
}

export const joinDeclined: BotReply = { text: "That's fine. I have not sent or kept anything.", quickReplies: [START_AGAIN] };

export function joinSummary(draft: SelfReferralDraft): BotReply {
  const lines = [
    'Please check these details before I send them.',
    `Activity: ${draft.activity.name}, run by ${draft.activity.organisationName}`,
    `Name: ${draft.person.name ?? ''}`,
    ...contactLines(draft.person),
    draft.person.whatMattersToMe ? `For the organiser: ${draft.person.whatMattersToMe}` : null,
    'Shall I send them?',
  ].filter((line): line is string => line !== null);
  return { text: lines.join('\n'), quickReplies: [SEND, CANCEL] };
}

export const joinSendOrCancel: BotReply = { text: 'Please choose “Send” to send your request, or “Cancel” to stop.', quickReplies: [SEND, CANCEL] };

export function joinSent(draft: SelfReferralDraft, reference: string, secret: string): BotReply[] {
  const how = draft.person.contactPreference ? PREFERENCE_NAMES[draft.person.contactPreference] : 'phone or email';
  return [
    { text: `Done. Your request to join ${draft.activity.name} has been sent to ${draft.activity.organisationName}.` },
    {
      text: [
        `Your reference: ${reference}`,
        `Your secret: ${secret}`,
        'Please write both down now. You need both to check on your request, and I cannot show you the secret again.',
      ].join('\n'),
    },
    {
      text: `What happens next: ${draft.activity.organisationName} will contact you by ${how} to talk about joining. To see how your request is going, type “check my referral” at any time.`,
      quickReplies: [CHECK_MY_REFERRAL, START_AGAIN],
    },
  ];
}

// ---- Sending: what went wrong ----------------------------------------------------------------

function minutes(seconds: number | undefined): string {
  const count = Math.max(1, Math.ceil((seconds ?? 60) / 60));
  return count === 1 ? 'a minute' : `${count} minutes`;
}

export function rateLimited(retryAfterSeconds: number | undefined, kept: boolean): BotReply {
  return {
    text:
      `Too many requests have been sent from here in a short time. Please wait ${minutes(retryAfterSeconds)}, then try again.` +
      (kept ? ' I have kept the details until then.' : ''),
    quickReplies: kept ? [TRY_AGAIN, CANCEL] : [START_AGAIN],
  };
}

export const sendUnavailable: BotReply = {
  text: 'I could not reach the referral service, so nothing has been sent yet. I have kept the details: please choose “Try again” in a minute.',
  quickReplies: [TRY_AGAIN, CANCEL],
};

export const forbidden: BotReply = {
  text: 'Your account is not allowed to make referrals, so I could not send it. I have kept it: sign in with another account and send it again, or choose “Cancel”.',
  quickReplies: [SIGN_IN, CANCEL],
};

export const consentRequired: BotReply = { text: 'The referral service needs the person’s agreement to share their details with the organiser.' };

export function unknownActivity(activity: ActivityRef): BotReply {
  return {
    text: `${activity.name} is no longer in the directory, so I could not send the request. I have not kept the details. Please search again.`,
    quickReplies: [START_AGAIN],
  };
}

export const conflict: BotReply = {
  text: 'It looks as if this request was already sent once. Please check before sending it again.',
  quickReplies: [CANCEL],
};

/** Said before asking again for a detail the referral service did not accept. */
export function notAccepted(what: string): BotReply {
  return { text: `The referral service did not accept the ${what}.` };
}

// ---- Cancelling, and help inside a flow ------------------------------------------------------

export const flowCancelled: BotReply = {
  text: "OK, I've stopped. Nothing was sent, and I have not kept the details. What would you like to look for?",
  quickReplies: [START_AGAIN],
};

export function flowHelp(what: string, until = 'Nothing is sent until you choose to send it at the end.'): BotReply {
  return { text: `${what} Answer the question below, or type “cancel” to stop. ${until}` };
}

export const calmInFlow: BotReply = { text: "I'm sorry this is frustrating. Let's carry on, or type “cancel” to stop." };

export const finishFirst: BotReply = { text: 'Please finish this first, or type “cancel” to stop it.' };

// ---- Checking a request ----------------------------------------------------------------------

export const askReference: BotReply = {
  text: 'What is your reference? It starts with SP, like SP-4K7QX-M2D9B.',
  quickReplies: [CANCEL],
};

export const badReference: BotReply = {
  text: 'That does not look like a reference. It starts with SP and has ten letters and numbers, like SP-4K7QX-M2D9B. Please type it again.',
  quickReplies: [CANCEL],
};

export const askSecret: BotReply = {
  text: 'Thank you. Now please type your secret. It is 20 letters and numbers, like ABCDE-FGHJK-MNPQR-STVWX.',
  quickReplies: [CANCEL],
  inputHint: 'secret',
};

export const badSecret: BotReply = {
  text: 'That does not look like a secret. It is 20 letters and numbers, in groups of five. Please type it again, or type “cancel”.',
  quickReplies: [CANCEL],
  inputHint: 'secret',
};

const PUBLIC_STATUS: Record<ReferralStatus, string> = {
  SENT: 'it has been sent to the organiser. They have not opened it yet.',
  RECEIVED: 'the organiser has seen it and should be in touch.',
  ACCEPTED: 'the organiser has accepted it. They will be in touch about joining.',
  ATTENDING: 'you are taking part.',
  COMPLETED: 'it is finished.',
  DECLINED: 'the organiser could not offer you a place this time.',
  DID_NOT_ATTEND: 'the organiser noted that you did not go.',
  WITHDRAWN: 'it has been withdrawn.',
  CANCELLED: 'it has been cancelled.',
};

/** The value carries the reference, so the button works without keeping anything in the state. */
function withdrawThis(reference: string): QuickReply {
  return { label: 'Withdraw this referral', value: `withdraw ${reference}` };
}

/** `withdrawable`: the request can still be withdrawn, so the button is offered. */
export function requestStatus(status: SelfReferralStatus, withdrawable = false): BotReply {
  // Without the activity's name (the directory did not answer), the reference alone.
  const which = status.activityName ? `to join ${status.activityName} (${status.reference})` : status.reference;
  return {
    text: `Your request ${which}: ${PUBLIC_STATUS[status.status]} Last updated ${formatDate(status.updatedAt)}.`,
    quickReplies: withdrawable ? [withdrawThis(status.reference), START_AGAIN] : [START_AGAIN],
  };
}

export const requestNotFound: BotReply = {
  text: 'I could not find a request with that reference and secret. Please check both and try again.',
  quickReplies: [CHECK_MY_REFERRAL, START_AGAIN],
};

export const checkUnavailable: BotReply = {
  text: 'I cannot check requests at the moment. Please try again in a few minutes.',
  quickReplies: [CHECK_MY_REFERRAL, START_AGAIN],
};

// ---- Withdrawing a request -------------------------------------------------------------------

const WITHDRAW_MY_REFERRAL: QuickReply = { label: 'Withdraw my referral', value: 'withdraw my referral' };
const YES_WITHDRAW: QuickReply[] = [
  { label: 'Yes, withdraw it', value: 'yes' },
  { label: 'No, keep it', value: 'no' },
];

function tryWithdrawAgain(reference: string): QuickReply {
  return { label: 'Try again', value: `withdraw ${reference}` };
}

export const askReferenceToWithdraw: BotReply = {
  text: 'To withdraw a referral, I need its reference. It starts with SP, like SP-4K7QX-M2D9B. What is your reference?',
  quickReplies: [CANCEL],
};

/**
 * "request to join Dance for Parkinson's" when the activity's name is known (the withdrawal
 * follows a status check that gave it, or the service named it), otherwise "referral SP-…".
 */
function whichRequest(reference: string, activityName: string | null | undefined): string {
  return activityName ? `request to join ${activityName}` : `referral ${reference}`;
}

export function confirmWithdraw(reference: string, activityName?: string | null): BotReply {
  return { text: `Withdraw your ${whichRequest(reference, activityName)}? The organiser will be told you are no longer coming.`, quickReplies: YES_WITHDRAW };
}

export function withdrawYesOrNo(reference: string, activityName?: string | null): BotReply {
  return { text: `Please answer yes or no. Withdraw your ${whichRequest(reference, activityName)}?`, quickReplies: YES_WITHDRAW };
}

export function withdrawKept(reference: string, activityName?: string | null): BotReply {
  return { text: `OK. I have not withdrawn it: your ${whichRequest(reference, activityName)} carries on as before.`, quickReplies: [CHECK_MY_REFERRAL, START_AGAIN] };
}

export const askSecretToWithdraw: BotReply = {
  text: 'To withdraw it, please type your secret. It is 20 letters and numbers, like ABCDE-FGHJK-MNPQR-STVWX. I will not show it in the chat.',
  quickReplies: [CANCEL],
  inputHint: 'secret',
};

export function withdrawn(status: SelfReferralStatus): BotReply {
  if (status.status !== 'WITHDRAWN') return requestStatus(status);
  return {
    text: [
      `Done. Your ${whichRequest(status.reference, status.activityName)} has been withdrawn. The organiser will be told you are no longer coming.`,
      'If you change your mind, you can ask to join again, or look for something else, at any time. Just tell me what you are looking for.',
    ].join('\n'),
    quickReplies: [START_AGAIN],
  };
}

/** "Cancel" while withdrawing: nothing has changed. */
export const withdrawStopped: BotReply = {
  text: "OK, I've stopped. Your referral has not been withdrawn.",
  quickReplies: [START_AGAIN],
};

export const withdrawNotFound: BotReply = {
  text: 'I could not find a request with that reference and secret, so nothing has been withdrawn. Please check both and try again.',
  quickReplies: [{ ...WITHDRAW_MY_REFERRAL, label: 'Try again' }, START_AGAIN],
};

export function notWithdrawable(reference: string): BotReply {
  return {
    text: `Your referral ${reference} has already ended, so it cannot be withdrawn. It may have been withdrawn before, cancelled or finished. To see where it is, choose “Check my referral”.`,
    quickReplies: [CHECK_MY_REFERRAL, START_AGAIN],
  };
}

export function withdrawConflict(reference: string): BotReply {
  return {
    text: `Your referral ${reference} changed just as I tried to withdraw it, so I have not withdrawn it. Please check where it is, then try again if you still want to.`,
    quickReplies: [CHECK_MY_REFERRAL, tryWithdrawAgain(reference)],
  };
}

export function withdrawRateLimited(reference: string, retryAfterSeconds: number | undefined): BotReply {
  return {
    text: `Too many requests have been sent from here in a short time, so I could not withdraw it yet. Please wait ${minutes(retryAfterSeconds)}, then try again.`,
    quickReplies: [tryWithdrawAgain(reference), START_AGAIN],
  };
}

export function withdrawUnavailable(reference: string): BotReply {
  return {
    text: 'I could not reach the referral service, so your referral has not been withdrawn yet. Please try again in a few minutes.',
    quickReplies: [tryWithdrawAgain(reference), START_AGAIN],
  };
}

/** Said after stopping a request or referral being written, when the words were about withdrawing. */
export const withdrawLater: BotReply = {
  text: 'If you meant a request you sent before, type “withdraw my referral”.',
  quickReplies: [WITHDRAW_MY_REFERRAL, START_AGAIN],
};
