import {
  ActivityCheck,
  ConsentMethod,
  ConsentPurpose,
  ContactPreference,
  DeliveryStatus,
  MessageRecipient,
  OutcomeTimepoint,
  ReferralEventKind,
  ReferralSource,
  ReferralStatus,
} from '@sp/prisma/referral';
import { builder } from '../builder';
import { ALL_STATUS_REASONS } from '../domain/lifecycle';
import { PATHWAY_HOPS } from '../domain/pathway';

export const ReferralStatusEnum = builder.enumType(ReferralStatus, {
  name: 'ReferralStatus',
  description:
    'Where a referral is in its lifecycle: SENT → RECEIVED (the provider has opened it) → ACCEPTED → ATTENDING → COMPLETED, or an exit: DECLINED (by the provider), DID_NOT_ATTEND, WITHDRAWN (by the person or the referrer), CANCELLED.',
});

export const ReferralSourceEnum = builder.enumType(ReferralSource, {
  name: 'ReferralSource',
  description: 'Who started the referral: a professional, or the person themselves.',
});

export const ActivityCheckEnum = builder.enumType(ActivityCheck, {
  name: 'ActivityCheck',
  description:
    'Whether the directory has confirmed the activity. PENDING: the directory did not answer in time, so the referral was kept and is checked again; NOT_FOUND: the directory later said there is no such activity.',
});

export const ContactPreferenceEnum = builder.enumType(ContactPreference, { name: 'ContactPreference' });

export const ConsentPurposeEnum = builder.enumType(ConsentPurpose, {
  name: 'ConsentPurpose',
  description:
    'What the person agreed to: SHARE_WITH_PROVIDER (required for any referral), FOLLOW_UP_CONTACT (messages about the referral, feedback), TELL_GP_OUTCOME, ANONYMISED_RESEARCH (outcome summaries).',
});

export const ConsentMethodEnum = builder.enumType(ConsentMethod, {
  name: 'ConsentMethod',
  description: 'How consent was given. SELF_REFERRAL_FORM is recorded for self-referrals only.',
});

export const ReferralEventKindEnum = builder.enumType(ReferralEventKind, { name: 'ReferralEventKind' });

export const MessageRecipientEnum = builder.enumType(MessageRecipient, { name: 'MessageRecipient' });

export const DeliveryStatusEnum = builder.enumType(DeliveryStatus, { name: 'DeliveryStatus' });

export const OutcomeTimepointEnum = builder.enumType(OutcomeTimepoint, { name: 'OutcomeTimepoint' });

export const PathwayHopEnum = builder.enumType('PathwayHop', {
  values: PATHWAY_HOPS,
  description: 'A hop on the way to the provider: a profession, or SELF for a self-referral.',
});

export const StatusReasonEnum = builder.enumType('StatusReason', {
  values: ALL_STATUS_REASONS,
  description:
    'Why a referral left the ordinary path. DECLINED: FULL, NOT_ELIGIBLE, UNABLE_TO_CONTACT, OTHER. WITHDRAWN: PERSON_DECLINED, NO_LONGER_NEEDED, REFERRED_ELSEWHERE, OTHER. CANCELLED: MADE_IN_ERROR, ACTIVITY_CANCELLED, OTHER.',
});
