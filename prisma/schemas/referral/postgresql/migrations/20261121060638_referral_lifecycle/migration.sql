/*
  Warnings:

  - A unique constraint covering the columns `[referenceCode]` on the table `Referral` will be added. If there are existing duplicate values, this will fail.
  - A unique constraint covering the columns `[idempotencyScope,idempotencyKey]` on the table `Referral` will be added. If there are existing duplicate values, this will fail.

*/
-- CreateEnum
CREATE TYPE "ReferralSource" AS ENUM ('PROFESSIONAL', 'SELF');

-- CreateEnum
CREATE TYPE "ActivityCheck" AS ENUM ('CONFIRMED', 'PENDING', 'NOT_FOUND');

-- CreateEnum
CREATE TYPE "ContactPreference" AS ENUM ('EMAIL', 'PHONE', 'TEXT_MESSAGE');

-- CreateEnum
CREATE TYPE "ConsentPurpose" AS ENUM ('SHARE_WITH_PROVIDER', 'FOLLOW_UP_CONTACT', 'TELL_GP_OUTCOME', 'ANONYMISED_RESEARCH');

-- CreateEnum
CREATE TYPE "ConsentMethod" AS ENUM ('VERBAL', 'WRITTEN', 'ELECTRONIC', 'SELF_REFERRAL_FORM');

-- CreateEnum
CREATE TYPE "ReferralEventKind" AS ENUM ('CREATED', 'STATUS_CHANGED', 'CONSENT_CHANGED', 'FOLLOW_UP_RECORDED', 'FEEDBACK_RECORDED', 'OUTCOME_RECORDED', 'ACTIVITY_CHECKED', 'PERSONAL_DATA_ERASED');

-- CreateEnum
CREATE TYPE "MessageRecipient" AS ENUM ('REFERRER', 'PERSON', 'GP_PRACTICE');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('PENDING', 'SENT', 'FAILED');

-- CreateEnum
CREATE TYPE "OutcomeTimepoint" AS ENUM ('BEFORE', 'AFTER');

-- DropIndex
DROP INDEX "Referral_activityId_idx";

-- DropIndex
DROP INDEX "Referral_idempotencyKey_key";

-- AlterTable
ALTER TABLE "Referral" ADD COLUMN     "activityCheck" "ActivityCheck" NOT NULL DEFAULT 'PENDING',
ADD COLUMN     "activityCheckedAt" TIMESTAMP(3),
ADD COLUMN     "activityOrganizationId" TEXT,
ADD COLUMN     "ageBand" TEXT,
ADD COLUMN     "closedAt" TIMESTAMP(3),
ADD COLUMN     "erasedAt" TIMESTAMP(3),
ADD COLUMN     "firstResponseAt" TIMESTAMP(3),
ADD COLUMN     "followUpDueAt" TIMESTAMP(3),
ADD COLUMN     "idempotencyScope" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "pathway" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "postcodeArea" TEXT,
ADD COLUMN     "referenceCode" TEXT,
ADD COLUMN     "referrerOrganizationId" TEXT,
ADD COLUMN     "referrerProfession" TEXT,
ADD COLUMN     "referrerSubject" TEXT,
ADD COLUMN     "requestFingerprint" TEXT,
ADD COLUMN     "source" "ReferralSource" NOT NULL DEFAULT 'PROFESSIONAL';

-- CreateTable
CREATE TABLE "ReferralPerson" (
    "referralId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "contactPreference" "ContactPreference" NOT NULL,
    "email" TEXT,
    "phone" TEXT,
    "dateOfBirth" TIMESTAMP(3),
    "ageYears" INTEGER,
    "postcodeArea" TEXT,
    "nhsNumber" TEXT,
    "gpPracticeCode" TEXT,
    "whatMattersToMe" TEXT,

    CONSTRAINT "ReferralPerson_pkey" PRIMARY KEY ("referralId")
);

-- CreateTable
CREATE TABLE "ReferralConsent" (
    "id" TEXT NOT NULL,
    "referralId" TEXT NOT NULL,
    "purpose" "ConsentPurpose" NOT NULL,
    "granted" BOOLEAN NOT NULL,
    "method" "ConsentMethod" NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL,
    "recordedByRole" TEXT NOT NULL,
    "recordedBySubject" TEXT,

    CONSTRAINT "ReferralConsent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReferralEvent" (
    "id" TEXT NOT NULL,
    "referralId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" "ReferralEventKind" NOT NULL,
    "fromStatus" "ReferralStatus",
    "toStatus" "ReferralStatus",
    "reason" TEXT,
    "note" TEXT,
    "snomedCode" TEXT,
    "actorRole" TEXT NOT NULL,
    "actorSubject" TEXT,
    "actorOrganizationId" TEXT,

    CONSTRAINT "ReferralEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" TEXT NOT NULL,
    "referralId" TEXT NOT NULL,
    "recipient" "MessageRecipient" NOT NULL,
    "status" "ReferralStatus" NOT NULL,
    "deliveryStatus" "DeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMP(3),

    CONSTRAINT "OutboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReferralFeedback" (
    "id" TEXT NOT NULL,
    "referralId" TEXT NOT NULL,
    "rating" INTEGER NOT NULL,
    "comment" TEXT,
    "sharedWithProvider" BOOLEAN NOT NULL DEFAULT false,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "recordedByRole" TEXT NOT NULL,
    "recordedBySubject" TEXT,

    CONSTRAINT "ReferralFeedback_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutcomeMeasure" (
    "id" TEXT NOT NULL,
    "referralId" TEXT NOT NULL,
    "activityId" TEXT NOT NULL,
    "instrument" TEXT NOT NULL,
    "timepoint" "OutcomeTimepoint" NOT NULL,
    "scores" TEXT NOT NULL,
    "total" INTEGER,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "recordedByRole" TEXT NOT NULL,
    "recordedBySubject" TEXT,

    CONSTRAINT "OutcomeMeasure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorRole" TEXT NOT NULL,
    "actorSubject" TEXT,
    "actorOrganizationId" TEXT,
    "action" TEXT NOT NULL,
    "referralId" TEXT,
    "outcome" TEXT NOT NULL DEFAULT 'ALLOWED',
    "detail" TEXT,
    "requestId" TEXT,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ReferralPerson_nhsNumber_idx" ON "ReferralPerson"("nhsNumber");

-- CreateIndex
CREATE INDEX "ReferralPerson_email_idx" ON "ReferralPerson"("email");

-- CreateIndex
CREATE INDEX "ReferralPerson_phone_idx" ON "ReferralPerson"("phone");

-- CreateIndex
CREATE UNIQUE INDEX "ReferralConsent_referralId_purpose_key" ON "ReferralConsent"("referralId", "purpose");

-- CreateIndex
CREATE INDEX "ReferralEvent_referralId_at_idx" ON "ReferralEvent"("referralId", "at");

-- CreateIndex
CREATE INDEX "ReferralEvent_snomedCode_idx" ON "ReferralEvent"("snomedCode");

-- CreateIndex
CREATE INDEX "OutboxMessage_deliveryStatus_nextAttemptAt_idx" ON "OutboxMessage"("deliveryStatus", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_referralId_idx" ON "OutboxMessage"("referralId");

-- CreateIndex
CREATE INDEX "ReferralFeedback_referralId_idx" ON "ReferralFeedback"("referralId");

-- CreateIndex
CREATE INDEX "OutcomeMeasure_activityId_instrument_idx" ON "OutcomeMeasure"("activityId", "instrument");

-- CreateIndex
CREATE UNIQUE INDEX "OutcomeMeasure_referralId_instrument_timepoint_key" ON "OutcomeMeasure"("referralId", "instrument", "timepoint");

-- CreateIndex
CREATE INDEX "AuditEntry_referralId_at_idx" ON "AuditEntry"("referralId", "at");

-- CreateIndex
CREATE INDEX "AuditEntry_actorSubject_at_idx" ON "AuditEntry"("actorSubject", "at");

-- CreateIndex
CREATE INDEX "AuditEntry_at_idx" ON "AuditEntry"("at");

-- CreateIndex
CREATE UNIQUE INDEX "Referral_referenceCode_key" ON "Referral"("referenceCode");

-- CreateIndex
CREATE INDEX "Referral_activityId_status_idx" ON "Referral"("activityId", "status");

-- CreateIndex
CREATE INDEX "Referral_activityOrganizationId_status_idx" ON "Referral"("activityOrganizationId", "status");

-- CreateIndex
CREATE INDEX "Referral_referrerSubject_status_idx" ON "Referral"("referrerSubject", "status");

-- CreateIndex
CREATE INDEX "Referral_referrerOrganizationId_status_idx" ON "Referral"("referrerOrganizationId", "status");

-- CreateIndex
CREATE INDEX "Referral_status_createdAt_idx" ON "Referral"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Referral_followUpDueAt_idx" ON "Referral"("followUpDueAt");

-- CreateIndex
CREATE INDEX "Referral_closedAt_erasedAt_idx" ON "Referral"("closedAt", "erasedAt");

-- CreateIndex
CREATE INDEX "Referral_activityCheck_idx" ON "Referral"("activityCheck");

-- CreateIndex
CREATE UNIQUE INDEX "Referral_idempotencyScope_idempotencyKey_key" ON "Referral"("idempotencyScope", "idempotencyKey");

-- AddForeignKey
ALTER TABLE "ReferralPerson" ADD CONSTRAINT "ReferralPerson_referralId_fkey" FOREIGN KEY ("referralId") REFERENCES "Referral"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReferralConsent" ADD CONSTRAINT "ReferralConsent_referralId_fkey" FOREIGN KEY ("referralId") REFERENCES "Referral"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReferralEvent" ADD CONSTRAINT "ReferralEvent_referralId_fkey" FOREIGN KEY ("referralId") REFERENCES "Referral"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutboxMessage" ADD CONSTRAINT "OutboxMessage_referralId_fkey" FOREIGN KEY ("referralId") REFERENCES "Referral"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReferralFeedback" ADD CONSTRAINT "ReferralFeedback_referralId_fkey" FOREIGN KEY ("referralId") REFERENCES "Referral"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutcomeMeasure" ADD CONSTRAINT "OutcomeMeasure_referralId_fkey" FOREIGN KEY ("referralId") REFERENCES "Referral"("id") ON DELETE CASCADE ON UPDATE CASCADE;
