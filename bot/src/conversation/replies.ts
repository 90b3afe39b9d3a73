import type { Suggestion, UnderstoodRequest } from '../search/activity-search';
import type { BotReply, ConversationState, QuickReply } from './types';

/**
 * Everything the bot says, in one place: British English, plain words, short sentences.
 * Text only; a channel decides how to show it.
 */

export const MORE: QuickReply = { label: 'More', value: 'more' };
export const START_AGAIN: QuickReply = { label: 'Start again', value: 'start again' };
export const HELP: QuickReply = { label: 'Help', value: 'help' };
export const EXAMPLES: QuickReply[] = [
  { label: 'Dance', value: 'dance' },
  { label: 'Singing', value: 'singing' },
  { label: 'Walking', value: 'walking' },
  { label: 'Befriending', value: 'befriending' },
];

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
      'Please do not include your name or contact details.',
    quickReplies: EXAMPLES,
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
    'Type “more” to see more results, or “start again” to begin a new search.',
  ].join('\n'),
  quickReplies: [...EXAMPLES, START_AGAIN],
};

export const restarted: BotReply = {
  text: "OK, let's start again. What kind of activity are you looking for?",
  quickReplies: EXAMPLES,
};

export const thanks: BotReply = {
  text: "You're welcome. You can look for something else at any time.",
  quickReplies: [START_AGAIN],
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

export const needsDetail: BotReply = {
  text:
    'Could you tell me a bit more? For example, the kind of activity (dance, singing, walking), ' +
    'a health condition it should suit, or a town.',
  quickReplies: [...EXAMPLES, HELP],
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
  return state.total > state.results.length
    ? { text: `${keptOnly(state.results.length)} Or type “start again”.`, quickReplies: [START_AGAIN] }
    : { text: "That's all I found for that search. Try different words, or type “start again”.", quickReplies: [START_AGAIN] };
}

/** "free online activities in Dundee", "activity", and so on. */
function describe(count: number, understood: UnderstoodRequest): string {
  const qualities = [understood.free ? 'free' : '', understood.online ? 'online' : ''].filter(Boolean);
  const noun = count === 1 ? 'activity' : 'activities';
  const place = understood.place ? ` in or near ${understood.place}` : '';
  return [...qualities, noun].join(' ') + place;
}

export function found(count: number, showing: number, understood: UnderstoodRequest): BotReply {
  const what = describe(count, understood);
  if (count <= showing) return { text: `I found ${count} ${what} that might suit you:` };
  return { text: `I found ${count} ${what} that might suit you. Here are the first ${showing}:` };
}

export function showingMore(count: number): BotReply {
  return { text: count === 1 ? 'Here is 1 more:' : `Here are ${count} more:` };
}

export function afterResults(hasMore: boolean, state: ConversationState): BotReply {
  if (hasMore) {
    return { text: 'Type “more” to see more, or tell me something else to look for.', quickReplies: [MORE, START_AGAIN] };
  }
  if (state.total > state.results.length) return { text: keptOnly(state.results.length), quickReplies: [START_AGAIN] };
  return { text: 'You can look for something else at any time.', quickReplies: [START_AGAIN] };
}

export function noResults(understood: UnderstoodRequest): BotReply {
  const narrowing = [
    understood.place ? 'the place' : '',
    understood.free ? '“free”' : '',
    understood.online ? '“online”' : '',
  ].filter(Boolean);
  const without = narrowing.length > 0 ? `without ${narrowing.join(' or ')}, or ` : 'with fewer or different words, or ';
  return {
    text:
      `Sorry, I could not find any ${describe(2, understood)} matching that. ` +
      `You could try again ${without}use a broader word such as “dance”, “singing” or “walking”.`,
    quickReplies: [...EXAMPLES, HELP],
  };
}

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

/** One activity, as a short block of labelled lines. */
export function suggestion(item: Suggestion): BotReply {
  return {
    text: [
      item.name,
      `Run by ${item.organisationName}`,
      `Where: ${where(item)}`,
      `When: ${item.scheduleDescription ?? 'ask the organiser'}`,
      `Cost: ${item.isFree ? 'Free' : (item.costDescription ?? 'ask the organiser')}`,
    ].join('\n'),
  };
}
