import type { Availability, Suggestion } from '../search/activity-search';
import type { BotReply, ConversationState, QuickReply } from './types';

/**
 * Everything the bot says, in one place: British English, plain words, short sentences.
 * Text only; a channel decides how to show it.
 */

export const MORE: QuickReply = { label: 'More', value: 'more' };
export const START_AGAIN: QuickReply = { label: 'Start again', value: 'start again' };
export const HELP: QuickReply = { label: 'Help', value: 'help' };
export const TALK_TO_A_PERSON: QuickReply = { label: 'Talk to a person', value: 'talk to a person' };
export const WHAT_IS_IT: QuickReply = { label: 'What is social prescribing?', value: 'what is social prescribing?' };
export const EXAMPLES: QuickReply[] = [
  { label: 'Dance', value: 'dance' },
  { label: 'Singing', value: 'singing' },
  { label: 'Walking', value: 'walking' },
  { label: 'Befriending', value: 'befriending' },
];
/** For professionals, who sign in to refer. */
export const SIGN_IN: QuickReply = { label: 'Sign in', value: 'sign in' };

const EXAMPLE_SEARCHES = "“dance for Parkinson's in Dundee” or “free singing group”";

export const greeting: BotReply[] = [
  {
    text:
      'Hello. I can help you find groups and activities that are good for your health and wellbeing, ' +
      'like dance, singing, walking or befriending.',
  },
  {
    text:
      `Tell me in a few words what you're looking for, for example ${EXAMPLE_SEARCHES}. ` +
      'Please do not include your name or contact details. If you are a professional, choose “Sign in” to refer someone.',
    quickReplies: [...EXAMPLES, SIGN_IN],
  },
];

export const welcomeBack: BotReply = {
  text: "You're connected again. I've started a new conversation, so tell me what you're looking for.",
  quickReplies: EXAMPLES,
};

export const hello: BotReply = {
  text: `Hello. Tell me in a few words what you're looking for, for example ${EXAMPLE_SEARCHES}.`,
  quickReplies: EXAMPLES,
};

export const help: BotReply = {
  text: [
    "Type what you're looking for in a few words, like “walking group” or “dance for Parkinson's”.",
    'You can add a town or area (“in Glasgow”), or say “free” or “online”.',
    'Type “more” to see more results, or “start again” (or “cancel”) to begin a new search.',
    'To ask to join an activity, choose “Ask to join” under the results. To check on a request, type “check my referral”. To withdraw it, type “withdraw my referral”.',
    'Professionals can type “sign in” to refer someone, and “my referrals” to see their referrals.',
    'Type “talk to a person” to find out who you can speak to.',
    'I am not a medical service. If you need urgent help, call 999.',
  ].join('\n'),
  quickReplies: [...EXAMPLES, START_AGAIN, TALK_TO_A_PERSON, WHAT_IS_IT],
};

export const restarted: BotReply = {
  text: "OK, let's start again. What kind of activity are you looking for?",
  quickReplies: EXAMPLES,
};

export const thanks: BotReply = {
  text: "You're welcome. You can look for something else at any time.",
  quickReplies: [START_AGAIN],
};

const NOT_MEDICAL = 'I am a computer program, not a medical or crisis service.';
const CARRY_ON = 'If you are safe and want to keep looking for activities, tell me what you are looking for.';

/**
 * Said when the words suggest someone may need urgent help. It gives the numbers and stops;
 * it does not ask questions or try to judge how serious things are.
 */
export function safety(concern: 'suicide' | 'abuse' | 'emergency'): BotReply[] {
  const opening = {
    suicide: "I'm sorry you are feeling like this. You deserve support from a person, and you can talk to someone now.",
    abuse: 'I am sorry this is happening. You deserve to be safe, and there are people who can help.',
    emergency: 'This could be a medical emergency.',
  }[concern];
  const numbers =
    concern === 'emergency'
      ? [
          'If someone is seriously ill or hurt, or their life is at risk, call 999 now.',
          'For urgent help that is not an emergency, call NHS 111. In Scotland, call NHS 24 on 111.',
        ]
      : [
          'If you or someone else is in danger now, call 999.',
          'Samaritans: call 116 123, free, day or night.',
          'For urgent health advice, call NHS 111. In Scotland, call NHS 24 on 111.',
        ];
  return [{ text: `${opening} ${NOT_MEDICAL}` }, { text: numbers.join('\n') }, { text: CARRY_ON, quickReplies: [START_AGAIN] }];
}

function organiserContact(item: Suggestion): string | null {
  const ways = [item.contact?.phone ? `phone ${item.contact.phone}` : null, item.contact?.email ? `email ${item.contact.email}` : null];
  const given = ways.filter((way): way is string => way !== null);
  if (given.length === 0 && item.contact?.website) given.push(`see ${item.contact.website}`);
  return given.length > 0 ? `${item.name} (${item.organisationName}): ${given.join(', or ')}.` : null;
}

/**
 * "Talk to a person": the organisers of the activities in front of the person, when there are
 * some, then a link worker through the GP practice, then Samaritans.
 */
export function human(activities: readonly Suggestion[] = []): BotReply {
  const contacts = activities.map(organiserContact).filter((line): line is string => line !== null);
  const organisers =
    contacts.length > 0
      ? ['To talk to someone about an activity, contact its organiser:', ...contacts]
      : ['To talk to someone about an activity, contact its organiser. I can show their details once we have found an activity.'];
  return {
    text: [
      'I am a computer program, so I cannot put you through to a person.',
      ...organisers,
      'A GP practice can put you in touch with a link worker, who can help you find what suits you.',
      'If you need to talk to someone now, Samaritans are on 116 123, any time. In an emergency, call 999.',
    ].join('\n'),
    quickReplies: [START_AGAIN, HELP],
  };
}

export const explain: BotReply[] = [
  {
    text: [
      'Social prescribing connects you with activities and support in your community.',
      'It is for things that affect your health and wellbeing, like feeling lonely, stress, or living with a long-term condition.',
      'Activities include groups for walking, dancing, singing, gardening, or having a chat.',
      'A link worker can help you choose. You can ask your GP practice about one, or look here yourself.',
    ].join('\n'),
  },
  { text: "Tell me what you'd like to try, and I will look for it.", quickReplies: EXAMPLES },
];

export const hostile: BotReply = {
  text: "I'm sorry this is frustrating. I am here to help you find activities. Tell me in a few words what you're looking for, or type “help”.",
  quickReplies: [HELP, START_AGAIN],
};

export const goodbye: BotReply = { text: 'Goodbye, and take care.' };

export const empty: BotReply = {
  text: "I did not get a message. Tell me in a few words what you're looking for, for example “singing group”.",
  quickReplies: EXAMPLES,
};

export const unclear: BotReply = {
  text: 'Sorry, I did not understand that. Try a few words about the kind of activity you would like, for example “walking group” or “dance”.',
  quickReplies: [...EXAMPLES, HELP],
};

export const tooLong: BotReply = {
  text:
    'Thank you. I work best with a few words rather than a long message. ' +
    "Could you tell me briefly what you're looking for? For example, “dance for Parkinson's near Dundee”.",
  quickReplies: [HELP],
};

export const unavailable: BotReply = {
  text: 'Sorry, I cannot look up activities at the moment. Please try again in a few minutes.',
  quickReplies: [START_AGAIN],
};

/** Said when something unexpected went wrong; the channel sends it, the details go to the log. */
export const apology: BotReply = {
  text: 'Sorry, something went wrong on our side. Please try again, or type “start again”.',
  quickReplies: [START_AGAIN],
};

export const nothingToShowMore: BotReply = {
  text: "Tell me what you're looking for first, for example “dance” or “walking group”.",
  quickReplies: EXAMPLES,
};

/** Said when the kept results ran out before everything that matched was shown. */
function keptOnly(kept: number): string {
  return `Those were the ${kept} closest matches. To find others, add a place or a few more words.`;
}

export function noMore(state: ConversationState): BotReply {
  return state.capped
    ? { text: `${keptOnly(state.results.length)} Or type “start again”.`, quickReplies: [START_AGAIN] }
    : { text: "That's all I found for that search. Try different words, or type “start again”.", quickReplies: [START_AGAIN] };
}

export function found(count: number, showing: number, capped: boolean): BotReply {
  const what = count === 1 ? 'activity' : 'activities';
  const counted = capped ? `${count} or more ${what}` : `${count} ${what}`;
  if (count <= showing) return { text: `I found ${counted} that might suit you:` };
  return { text: `I found ${counted} that might suit you. Here are the first ${showing}:` };
}

export function showingMore(count: number): BotReply {
  return { text: count === 1 ? 'Here is 1 more:' : `Here are ${count} more:` };
}

export interface AfterResultsOptions {
  /** "Refer" or "Ask to join", one for each suggestion just shown. */
  actions?: QuickReply[];
  /** Needs not stated yet: "Free only", "Step-free", "Online". */
  refinements?: QuickReply[];
  professional?: boolean;
}

export function afterResults(hasMore: boolean, state: ConversationState, options: AfterResultsOptions = {}): BotReply {
  const actions = options.actions ?? [];
  const buttons = [...actions, ...(options.refinements ?? []), START_AGAIN];
  const invite =
    actions.length === 0 ? '' : options.professional ? ' To refer someone to one of these, choose “Refer”.' : ' To ask to join one, choose “Ask to join”.';
  if (hasMore) {
    return { text: `Type “more” to see more, or tell me something else to look for.${invite}`, quickReplies: [MORE, ...buttons] };
  }
  if (state.capped) return { text: `${keptOnly(state.results.length)}${invite}`, quickReplies: buttons };
  return { text: `You can look for something else at any time.${invite}`, quickReplies: buttons };
}

export const noResults: BotReply = {
  text:
    'Sorry, I could not find anything matching that. ' +
    'You could try fewer or different words, leave out the place, or use a broader word such as “dance”, “singing” or “walking”.',
  quickReplies: [...EXAMPLES, HELP],
};

function joinPlace(suggestion: Suggestion): string {
  const { town, area } = suggestion;
  if (town && area && area !== town) return `${town}, ${area}`;
  return town ?? area ?? '';
}

function where(suggestion: Suggestion): string {
  const place = joinPlace(suggestion);
  switch (suggestion.deliveryMode) {
    case 'ONLINE':
      return 'Online';
    case 'TELEPHONE':
      return 'By telephone';
    case 'HOME_VISIT':
      return place ? `At your home (${place})` : 'At your home';
    case 'HYBRID':
      return place ? `${place}, or online` : 'In person or online';
    case 'IN_PERSON':
      return place ? `${place} (in person)` : 'In person: ask the organiser where';
  }
}

function places(availability: Availability): string | null {
  switch (availability.kind) {
    case 'places':
      return availability.remaining === 1 ? 'Places: 1 left' : `Places: ${availability.remaining} left`;
    case 'waiting-list':
      return 'Places: full, but you can join the waiting list';
    case 'full':
      return 'Places: full at the moment';
    case 'unknown':
      return null;
  }
}

function cost(item: Suggestion): string {
  if (item.isFree) return item.fees && !/^free$/i.test(item.fees.trim()) ? `Free (${item.fees})` : 'Free';
  return item.fees ?? 'ask the organiser';
}

/** One activity, as a short block of labelled lines; lines with nothing to say are left out. */
export function suggestion(item: Suggestion): BotReply {
  const lines = [
    item.name,
    `Run by ${item.organisationName}`,
    `Where: ${where(item)}`,
    `When: ${item.scheduleDescription ?? 'ask the organiser'}`,
    `Cost: ${cost(item)}`,
    item.reasons.length > 0 ? `Why it matched: ${item.reasons.join('; ')}` : null,
    places(item.availability),
    item.evidenceHeadline ? `What the evidence says: ${item.evidenceHeadline}` : null,
  ];
  return { text: lines.filter((line): line is string => line !== null).join('\n') };
}
