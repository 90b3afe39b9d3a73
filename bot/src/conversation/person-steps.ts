import { isSkip, MAX_NOTE_CHARACTERS, readAge, readContact, readName, readPreference } from './answers';
import * as say from './flow-replies';
import type { PersonInput } from '../referrals/referral-service';
import type { BotReply, PersonDetails } from './types';

/**
 * The questions about a person that a professional's referral and a self-referral share: name,
 * contact details, the way they prefer to be contacted, age, and a note in their own words.
 * Each step is asked only while its answer is missing, and one answer may fill several ("Jo
 * Smith, 07912 345678" gives the name and the phone number).
 */
export type PersonStep = 'name' | 'contact' | 'preference' | 'age' | 'note';

export function nextPersonStep(person: PersonDetails): PersonStep | undefined {
  if (!person.name) return 'name';
  if (!person.email && !person.phone) return 'contact';
  if (!person.contactPreference) return 'preference';
  if (person.ageYears === undefined && !person.dateOfBirth) return 'age';
  if (person.whatMattersToMe === undefined) return 'note';
  return undefined;
}

export function askPersonStep(step: PersonStep, audience: say.Audience, person: PersonDetails): BotReply {
  switch (step) {
    case 'name':
      return say.askName(audience);
    case 'contact':
      return say.askContact(audience);
    case 'preference':
      return say.askPreference(audience, person);
    case 'age':
      return say.askAge(audience);
    case 'note':
      return say.askNote(audience);
  }
}

/** With only one way to reach them, that is the way; a phone number still needs call or text. */
function withContact(person: PersonDetails, found: { email?: string; phone?: string }): PersonDetails {
  const next: PersonDetails = { ...person };
  if (found.email) next.email = found.email;
  if (found.phone) next.phone = found.phone;
  if (next.email && !next.phone) next.contactPreference = 'EMAIL';
  else if (next.contactPreference === 'EMAIL' && next.phone && !found.email) delete next.contactPreference;
  return next;
}

/** `aside`: said before the next question, when part of the answer could not be used. */
export type StepAnswer = { ok: true; person: PersonDetails; aside?: BotReply } | { ok: false; reply: BotReply };

export function answerPersonStep(step: PersonStep, person: PersonDetails, text: string, now: number, audience: say.Audience): StepAnswer {
  switch (step) {
    case 'name': {
      const contact = readContact(text);
      const found = contact.email !== undefined || contact.phone !== undefined;
      const updated = found ? withContact(person, contact) : person;
      // "Alex Morgan, 0770 12" is a name with a number that will not do: the name still counts.
      const name = readName(found || contact.invalid ? contact.rest : text);
      if (name.ok) {
        const aside = !found && contact.invalid ? say.nameKeptContactNot(contact.invalid) : undefined;
        return { ok: true, person: { ...updated, name: name.name }, ...(aside ? { aside } : {}) };
      }
      // The contact details were given first: keep them, and ask for the name again.
      if (found && name.reason === 'empty') return { ok: true, person: updated };
      return { ok: false, reply: say.badName(name.reason, audience) };
    }
    case 'contact': {
      const contact = readContact(text);
      if (contact.email === undefined && contact.phone === undefined) {
        return { ok: false, reply: say.badContact(contact.invalid ?? 'none') };
      }
      return { ok: true, person: withContact(person, contact) };
    }
    case 'preference': {
      const preference = readPreference(text);
      const possible =
        (preference === 'EMAIL' && person.email !== undefined) || ((preference === 'PHONE' || preference === 'TEXT_MESSAGE') && person.phone !== undefined);
      if (!preference || !possible) return { ok: false, reply: say.askPreference(audience, person) };
      return { ok: true, person: { ...person, contactPreference: preference } };
    }
    case 'age': {
      const age = readAge(text, now);
      if (!age) return { ok: false, reply: say.badAge };
      const { ageYears: _age, dateOfBirth: _born, ...rest } = person;
      return { ok: true, person: { ...rest, ...age } };
    }
    case 'note': {
      if (isSkip(text)) return { ok: true, person: { ...person, whatMattersToMe: null } };
      const note = text.trim();
      if (note.length === 0) return { ok: false, reply: say.askNote(audience) };
      if (note.length > MAX_NOTE_CHARACTERS) return { ok: false, reply: say.noteTooLong(MAX_NOTE_CHARACTERS) };
      return { ok: true, person: { ...person, whatMattersToMe: note } };
    }
  }
}

/** The next question, with what could not be used of the last answer said first. */
export function withAside<T extends { replies: BotReply[] }>(aside: BotReply | undefined, result: T): T {
  return aside ? { ...result, replies: [aside, ...result.replies] } : result;
}

/** Forgets the details a field error from the referral service is about, so they are asked again. */
export function forgetField(person: PersonDetails, code: string, field: string | undefined): { person: PersonDetails; what: string } | undefined {
  const next: PersonDetails = { ...person };
  const about = field ?? '';
  if (code === 'INVALID_EMAIL' || about === 'person.email') {
    delete next.email;
    if (next.contactPreference === 'EMAIL') delete next.contactPreference;
    return { person: next, what: 'email address' };
  }
  if (code === 'INVALID_PHONE' || about === 'person.phone') {
    delete next.phone;
    if (next.contactPreference !== 'EMAIL') delete next.contactPreference;
    return { person: next, what: 'phone number' };
  }
  if (code === 'CONTACT_DETAILS_REQUIRED') {
    delete next.contactPreference;
    return { person: next, what: 'contact details' };
  }
  if (['AGE_REQUIRED', 'INVALID_DATE_OF_BIRTH', 'DATE_OF_BIRTH_IN_FUTURE'].includes(code) || about === 'person.ageYears' || about === 'person.dateOfBirth') {
    delete next.ageYears;
    delete next.dateOfBirth;
    return { person: next, what: 'age' };
  }
  if (about === 'person.name') {
    delete next.name;
    return { person: next, what: 'name' };
  }
  if (about === 'person.whatMattersToMe') {
    delete next.whatMattersToMe;
    return { person: next, what: 'note' };
  }
  return undefined;
}

/** The person as the referral API takes them: only the details given. Call once every step is answered. */
export function personInput(person: PersonDetails): PersonInput {
  return {
    name: person.name!,
    contactPreference: person.contactPreference!,
    ...(person.email ? { email: person.email } : {}),
    ...(person.phone ? { phone: person.phone } : {}),
    ...(person.ageYears !== undefined ? { ageYears: person.ageYears } : {}),
    ...(person.dateOfBirth ? { dateOfBirth: person.dateOfBirth } : {}),
    ...(person.whatMattersToMe ? { whatMattersToMe: person.whatMattersToMe } : {}),
  };
}
