// The rules on their own, without a server: validation, the lifecycle table, working days,
// reference codes and secrets, who gets messages, and configuration.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ReferralStatus } from '@sp/prisma/referral';
import { loadReferralConfig } from '../src/config';
import { checkProfessionalPathway } from '../src/domain/pathway';
import { requestFingerprint } from '../src/domain/idempotency';
import { allowedNextStatuses, followUpDueAfter, isClosed, snomedCodeForChange, whoMayMove } from '../src/domain/lifecycle';
import { plannedMessages } from '../src/domain/outbox';
import { createClientAddressReader } from '../src/domain/rate-limit';
import { ageBand, isValidNhsNumber, normalisePhone, normalisePostcodeArea } from '../src/domain/person';
import { createSelfServiceKeys, newReferenceCode, normaliseReferenceCode } from '../src/domain/self-service';
import { addWorkingDays } from '../src/domain/working-days';
import { loadOrCreateSelfServiceKeyFile } from '../src/self-service-key';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { extensions?: { code?: string } }).extensions?.code;
  }
  return undefined;
};

describe('person details', () => {
  it('checks NHS numbers with the modulus 11 check digit', () => {
    expect(isValidNhsNumber('9434765919')).toBe(true);
    expect(isValidNhsNumber('4010232137')).toBe(true);
    expect(isValidNhsNumber('9434765918')).toBe(false);
    expect(isValidNhsNumber('943476591')).toBe(false);
    // A check digit of 10 is never valid.
    expect(isValidNhsNumber('1000000010')).toBe(false);
  });

  it('keeps the outward code of a postcode and refuses what is not one', () => {
    expect(normalisePostcodeArea('dd1 4hn')).toBe('DD1');
    expect(normalisePostcodeArea('EC1A 1BB')).toBe('EC1A');
    expect(normalisePostcodeArea('g12')).toBe('G12');
    expect(normalisePostcodeArea('KW')).toBe('KW');
    expect(normalisePostcodeArea('  ')).toBeNull();
    expect(codeOf(() => normalisePostcodeArea('12345'))).toBe('INVALID_POSTCODE_AREA');
  });

  it('stores phone numbers as E.164 and refuses impossible ones', () => {
    expect(normalisePhone('07911 123456')).toBe('+447911123456');
    expect(normalisePhone('+353 1 234 5678')).toBe('+35312345678');
    expect(codeOf(() => normalisePhone('999'))).toBe('INVALID_PHONE');
  });

  it('puts ages in the bands of official statistics', () => {
    expect([5, 18, 24, 25, 34, 35, 64, 75, 84, 85, 101].map(ageBand)).toEqual(['0-17', '18-24', '18-24', '25-34', '25-34', '35-44', '55-64', '75-84', '75-84', '85+', '85+']);
  });
});

describe('the lifecycle table', () => {
  it('lets only the provider side move a referral forward, and the referrer side withdraw', () => {
    expect(whoMayMove('SENT', 'ACCEPTED')).toEqual(['provider', 'admin']);
    expect(whoMayMove('ACCEPTED', 'WITHDRAWN')).toEqual(['referrer', 'person', 'admin']);
    expect(whoMayMove('COMPLETED', 'ATTENDING')).toBeUndefined();
    expect(whoMayMove('SENT', 'COMPLETED')).toBeUndefined();
  });

  it('ends at five closed statuses with no way out', () => {
    const closed = Object.values(ReferralStatus).filter(isClosed);
    expect(closed).toEqual(['COMPLETED', 'DECLINED', 'DID_NOT_ATTEND', 'WITHDRAWN', 'CANCELLED']);
    for (const status of closed) expect(allowedNextStatuses(status)).toEqual([]);
    for (const status of Object.values(ReferralStatus).filter((s) => !isClosed(s))) {
      expect(allowedNextStatuses(status)).toEqual(expect.arrayContaining(['WITHDRAWN', 'CANCELLED']));
    }
  });

  it('codes the person declining, whoever records it', () => {
    expect(snomedCodeForChange('WITHDRAWN', 'PERSON_DECLINED', 'referrer')).toBe('871711000000103');
    expect(snomedCodeForChange('WITHDRAWN', 'PERSON_DECLINED', 'person')).toBe('871711000000103');
    expect(snomedCodeForChange('WITHDRAWN', 'NO_LONGER_NEEDED', 'referrer')).toBeNull();
    expect(snomedCodeForChange('DECLINED', 'FULL', 'provider')).toBeNull();
  });

  it('sets follow-ups for professional referrals only', () => {
    const friday = new Date('2026-03-06T12:00:00Z');
    expect(followUpDueAfter('SENT', friday, 'PROFESSIONAL')?.toISOString()).toBe('2026-03-16T12:00:00.000Z');
    expect(followUpDueAfter('DECLINED', friday, 'PROFESSIONAL')).toEqual(friday);
    expect(followUpDueAfter('WITHDRAWN', friday, 'PROFESSIONAL')).toBeNull();
    expect(followUpDueAfter('SENT', friday, 'SELF')).toBeNull();
  });
});

describe('working days', () => {
  it('skips Saturdays and Sundays, both ways', () => {
    const wednesday = new Date('2026-03-04T09:00:00Z');
    expect(addWorkingDays(wednesday, 6).toISOString()).toBe('2026-03-12T09:00:00.000Z');
    expect(addWorkingDays(wednesday, -6).toISOString()).toBe('2026-02-24T09:00:00.000Z');
    expect(addWorkingDays(new Date('2026-03-07T09:00:00Z'), 1).toISOString()).toBe('2026-03-09T09:00:00.000Z');
    expect(addWorkingDays(wednesday, 0)).toEqual(wednesday);
  });
});

describe('pathways', () => {
  it('accepts the pathways of the Scottish Ballet study and refuses impossible ones', () => {
    expect(checkProfessionalPathway(['GP', 'COMMUNITY_LINK_WORKER'], 'COMMUNITY_LINK_WORKER')).toEqual(['GP', 'COMMUNITY_LINK_WORKER']);
    expect(checkProfessionalPathway(['CONSULTANT', 'SPECIALIST_NURSE'], 'SPECIALIST_NURSE')).toHaveLength(2);
    expect(checkProfessionalPathway(['CONSULTANT', 'SPECIALIST_PHYSIOTHERAPIST'], 'SPECIALIST_PHYSIOTHERAPIST')).toHaveLength(2);
    expect(checkProfessionalPathway(undefined, 'THIRD_SECTOR')).toEqual(['THIRD_SECTOR']);
    expect(codeOf(() => checkProfessionalPathway([], 'GP'))).toBe('INVALID_PATHWAY');
    expect(codeOf(() => checkProfessionalPathway(['GP', 'GP'], 'GP'))).toBe('INVALID_PATHWAY');
    expect(codeOf(() => checkProfessionalPathway(['GP', 'CONSULTANT', 'GP', 'CONSULTANT', 'GP', 'CONSULTANT'], 'CONSULTANT'))).toBe('INVALID_PATHWAY');
  });
});

describe('self-referral references and secrets', () => {
  it('makes short, distinct references that survive being typed loosely', () => {
    const codes = new Set(Array.from({ length: 2000 }, newReferenceCode));
    expect(codes.size).toBe(2000);
    const code = [...codes][0]!;
    expect(normaliseReferenceCode(code.toLowerCase().replace(/-/g, ' '))).toBe(code);
    expect(normaliseReferenceCode('SP-ABCDE-FGHJU')).toBeNull();
  });

  it('derives a secret per referral that only the key can make', () => {
    const keys = createSelfServiceKeys(randomBytes(32));
    const secret = keys.secretFor('referral-1');
    expect(keys.verify('referral-1', secret)).toBe(true);
    expect(keys.verify('referral-1', secret.toLowerCase().replace(/-/g, ''))).toBe(true);
    expect(keys.verify('referral-2', secret)).toBe(false);
    expect(createSelfServiceKeys(randomBytes(32)).verify('referral-1', secret)).toBe(false);
    expect(() => createSelfServiceKeys(randomBytes(16))).toThrow(/32 bytes/);
  });

  it('keeps the development key in a private file that every process shares', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sp-referral-key-'));
    try {
      const file = path.join(dir, 'nested', 'referral-self-service.key');
      const [a, b] = await Promise.all([loadOrCreateSelfServiceKeyFile(file), loadOrCreateSelfServiceKeyFile(file)]);
      expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('idempotency fingerprints', () => {
  it('are equal for the same request whatever the key order, and differ for another', () => {
    expect(requestFingerprint({ a: 1, b: { c: 2, d: [1, 2] } })).toBe(requestFingerprint({ b: { d: [1, 2], c: 2 }, a: 1 }));
    expect(requestFingerprint({ a: 1 })).not.toBe(requestFingerprint({ a: 2 }));
  });
});

describe('who hears of a change', () => {
  const consents = (...purposes: string[]) => purposes.map((purpose) => ({ purpose, granted: true }));
  it('tells the referrer always, the person with consent, the GP only of outcomes and with consent', () => {
    const base = { referralId: 'r', referrerSubject: 'gp-1', person: { gpPracticeCode: 'S12345' } };
    expect(plannedMessages({ ...base, consents: consents('SHARE_WITH_PROVIDER') }, 'ACCEPTED').map((m) => m.recipient)).toEqual(['REFERRER']);
    expect(plannedMessages({ ...base, consents: consents('FOLLOW_UP_CONTACT', 'TELL_GP_OUTCOME') }, 'ACCEPTED').map((m) => m.recipient)).toEqual(['REFERRER', 'PERSON']);
    expect(plannedMessages({ ...base, consents: consents('FOLLOW_UP_CONTACT', 'TELL_GP_OUTCOME') }, 'COMPLETED').map((m) => m.recipient)).toEqual(['REFERRER', 'PERSON', 'GP_PRACTICE']);
    expect(plannedMessages({ ...base, referrerSubject: null, person: null, consents: consents('FOLLOW_UP_CONTACT') }, 'COMPLETED')).toEqual([]);
  });
});

describe('the client address for per-client limits', () => {
  const privateRanges = ['loopback', 'linklocal', 'uniquelocal'];

  it('believes X-Forwarded-For only from trusted proxies: a caller from a public address is the client', () => {
    const read = createClientAddressReader(privateRanges);
    expect(read('127.0.0.1', '203.0.113.9')).toBe('203.0.113.9');
    expect(read('10.0.0.5', '198.51.100.1, 203.0.113.9')).toBe('203.0.113.9');
    expect(read('::ffff:10.0.0.5', ['198.51.100.1', '203.0.113.9'])).toBe('203.0.113.9');
    expect(read('198.51.100.7', '203.0.113.9')).toBe('198.51.100.7');
    expect(read('198.51.100.7', undefined)).toBe('198.51.100.7');
  });

  it('cannot tell the client apart when only our own proxies are on the way, or the address is not one', () => {
    const read = createClientAddressReader(privateRanges);
    expect(read('127.0.0.1', undefined)).toBeNull();
    expect(read('10.0.0.5', '192.168.1.20')).toBeNull();
    expect(read('127.0.0.1', 'not-an-address')).toBeNull();
    expect(read(undefined, '203.0.113.9')).toBeNull();
  });

  it('with no trusted proxy, the peer is the client, whatever the header says', () => {
    const read = createClientAddressReader([]);
    expect(read('127.0.0.1', '203.0.113.9')).toBe('127.0.0.1');
    expect(read('127.0.0.1', undefined)).toBe('127.0.0.1');
  });
});

describe('configuration', () => {
  it('has working defaults in development', () => {
    const config = loadReferralConfig({});
    expect(config).toMatchObject({ port: 4002, host: '127.0.0.1', providerUrl: 'http://127.0.0.1:4001/graphql', directoryTimeoutMs: 1500 });
    expect(config.selfServiceKey).toMatchObject({ kind: 'file', create: true });
    expect(config.settings).toMatchObject({ retentionDays: 730, outcomeInstruments: ['ONS4', 'SWEMWBS'] });
  });

  it('trusts X-Forwarded-For from private addresses by default, in every environment; `none` trusts nobody', () => {
    const production = { NODE_ENV: 'production', REFERRAL_SELF_SERVICE_KEY: randomBytes(32).toString('base64') };
    expect(loadReferralConfig({}).settings.trustedProxies).toEqual(['loopback', 'linklocal', 'uniquelocal']);
    expect(loadReferralConfig(production).settings.trustedProxies).toEqual(['loopback', 'linklocal', 'uniquelocal']);
    expect(loadReferralConfig({ REFERRAL_TRUSTED_PROXIES: '' }).settings.trustedProxies).toEqual(['loopback', 'linklocal', 'uniquelocal']);
    expect(loadReferralConfig({ ...production, REFERRAL_TRUSTED_PROXIES: 'none' }).settings.trustedProxies).toEqual([]);
    expect(loadReferralConfig({ REFERRAL_TRUSTED_PROXIES: '10.0.0.0/8, 2001:db8::1' }).settings.trustedProxies).toEqual(['10.0.0.0/8', '2001:db8::1']);
    expect(() => loadReferralConfig({ REFERRAL_TRUSTED_PROXIES: 'loopback,gateway.internal' })).toThrow(
      /REFERRAL_TRUSTED_PROXIES: "gateway\.internal" is not an IP address/,
    );
  });

  it('fails fast, naming each wrong variable', () => {
    expect(() => loadReferralConfig({ REFERRAL_RETENTION_DAYS: '0', PROVIDER_URL: 'ftp://x' })).toThrow(/REFERRAL_RETENTION_DAYS[\s\S]*PROVIDER_URL|PROVIDER_URL[\s\S]*REFERRAL_RETENTION_DAYS/);
    expect(() => loadReferralConfig({ REFERRAL_OUTCOME_INSTRUMENTS: 'ONS4,PHQ9' })).toThrow(/REFERRAL_OUTCOME_INSTRUMENTS/);
    expect(() => loadReferralConfig({ NODE_ENV: 'production' })).toThrow(/REFERRAL_SELF_SERVICE_KEY/);
    expect(loadReferralConfig({ NODE_ENV: 'production', REFERRAL_SELF_SERVICE_KEY: randomBytes(32).toString('base64'), REFERRAL_OUTCOME_INSTRUMENTS: 'ons4' }).settings.outcomeInstruments).toEqual(['ONS4']);
  });
});
