// Text handling shared by the index and the query: both sides go through the same functions,
// so "Parkinson’s", "parkinsons" and "PARKINSONS" meet as the same word.

/**
 * Lower-case, accents removed, apostrophes dropped (so "can't" becomes "cant" and "men's"
 * becomes "mens"), and every other run of non-letters and non-digits turned into one space.
 */
export function normalise(text: string): string {
  // Accents need Unicode decomposition, which is slow: most text is plain ASCII and skips it.
  // eslint-disable-next-line no-control-regex
  const plain = /^[\x00-\x7f]*$/.test(text) ? text : text.normalize('NFKD').replace(/\p{M}+/gu, '');
  return plain
    .toLowerCase()
    .replace(/['’‘`´]/g, '')
    .replace(/&/g, ' and ')
    .replace(/\+/g, ' plus ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function tokenise(text: string): string[] {
  const normalised = normalise(text);
  return normalised ? normalised.split(' ') : [];
}

/**
 * A light stemmer, enough to let "walks", "walking" and "walk", or "dancing" and "dance", meet.
 * It only needs to be consistent, not linguistically right: the index and the query both use it.
 */
const STEMS = new Map<string, string>();

export function stem(word: string): string {
  let known = STEMS.get(word);
  if (known === undefined) {
    known = stemWord(word);
    if (STEMS.size > 100_000) STEMS.clear();
    STEMS.set(word, known);
  }
  return known;
}

function stemWord(word: string): string {
  let w = word;
  if (w.length <= 3 || /\d/.test(w)) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith('ing') && w.length > 5) {
    w = w.slice(0, -3);
    if (/([b-df-hj-np-tv-z])\1$/.test(w) && !w.endsWith('ll') && !w.endsWith('ss')) w = w.slice(0, -1);
  }
  if (w.endsWith('e') && w.length > 4 && !w.endsWith('ee')) w = w.slice(0, -1);
  return w;
}

/** Normalised, stemmed words of a text, in order. */
export function stems(text: string): string[] {
  return tokenise(text).map(stem);
}

/**
 * Words that say nothing about what the person wants: grammar, politeness, and the chatty
 * framing professionals and relatives use ("looking for something for my patient"). They are
 * still read inside longer phrases ("can't get out much", "someone to talk to").
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `a an the and or but if so of to for from with without by at on in into onto off up down out over under about
  as than then there here this that these those it its is are was were be been being am do does did done doing
  has have had having can could would should will shall may might must
  i im ive id me my mine myself we were our ours us you youre your yours he hes him his she shes her hers they theyre
  them their theirs who whom whose which what whats when where why how whether
  any some something anything everything somewhere anywhere someone somebody anyone anybody
  near nearby around close local locally area areas
  please thanks thank thankyou hi hello hey ok okay cheers
  looking look find finding found search searching want wants wanted wanting need needs needed needing
  like likes would wouldnt help helps helping get gets getting got go goes going went take takes
  good great nice suitable suit suits ideal best right really very just also too quite bit lot lots little more most
  much many few other another new start starting try trying join joining attend attending
  refer referral referring signpost signposting recommend recommendation suggest suggestion suggestions idea ideas option options
  class classes group groups session sessions activity activities thing things stuff service services programme programmes
  support supporting club clubs
  patient patients client clients person individual service user gentleman lady guy chap fella bloke
  husband wife partner son daughter brother sister neighbour friend
  who has had lives living live lives recently diagnosed suffers suffering struggles struggling
  doesnt dont cant cannot isnt arent wont didnt not no
  week weekly every each day daily time times
  year years old yr yrs aged age
  enjoy enjoys enjoyed love loves loved keen interested
  people peoples folk folks adult adults back`
    .split(/\s+/)
    .filter(Boolean),
);

export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}
