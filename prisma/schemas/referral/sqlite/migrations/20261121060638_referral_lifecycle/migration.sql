-- CreateTable
CREATE TABLE "ReferralPerson" (
    "referralId" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "contactPreference" TEXT NOT NULL,
    "email" TEXT,
    "phone" TEXT,
    "dateOfBirth" DATETIME,
    "ageYears" INTEGER,
    "postcodeArea" TEXT,
    "nhsNumber" TEXT,
    "gpPracticeCode" TEXT,
    "whatMattersToMe" TEXT,
    CONSTRAINT "ReferralPerson_referralId_fkey" FOREIGN KEY ("referralId") REFERENCES "Referral" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ReferralConsent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "referralId" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "granted" BOOLEAN NOT NULL,
    "method" TEXT NOT NULL,
    "recordedAt" DATETIME NOT NULL,
    "recordedByRole" TEXT NOT NULL,
    "recordedBySubject" TEXT,
    CONSTRAINT "ReferralConsent_referralId_fkey" FOREIGN KEY ("referralId") REFERENCES "Referral" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ReferralEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "referralId" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" TEXT NOT NULL,
    "fromStatus" TEXT,
    "toStatus" TEXT,
    "reason" TEXT,
    "note" TEXT,
    "snomedCode" TEXT,
    "actorRole" TEXT NOT NULL,
    "actorSubject" TEXT,
    "actorOrganizationId" TEXT,
    CONSTRAINT "ReferralEvent_referralId_fkey" FOREIGN KEY ("referralId") REFERENCES "Referral" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "referralId" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "deliveryStatus" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" DATETIME,
    CONSTRAINT "OutboxMessage_referralId_fkey" FOREIGN KEY ("referralId") REFERENCES "Referral" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ReferralFeedback" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "referralId" TEXT NOT NULL,
    "rating" INTEGER NOT NULL,
    "comment" TEXT,
    "sharedWithProvider" BOOLEAN NOT NULL DEFAULT false,
    "recordedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "recordedByRole" TEXT NOT NULL,
    "recordedBySubject" TEXT,
    CONSTRAINT "ReferralFeedback_referralId_fkey" FOREIGN KEY ("referralId") REFERENCES "Referral" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OutcomeMeasure" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "referralId" TEXT NOT NULL,
    "activityId" TEXT NOT NULL,
    "instrument" TEXT NOT NULL,
    "timepoint" TEXT NOT NULL,
    "scores" TEXT NOT NULL,
    "total" INTEGER,
    "recordedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "recordedByRole" TEXT NOT NULL,
    "recordedBySubject" TEXT,
    CONSTRAINT "OutcomeMeasure_referralId_fkey" FOREIGN KEY ("referralId") REFERENCES "Referral" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorRole" TEXT NOT NULL,
    "actorSubject" TEXT,
    "actorOrganizationId" TEXT,
    "action" TEXT NOT NULL,
    "referralId" TEXT,
    "outcome" TEXT NOT NULL DEFAULT 'ALLOWED',
    "detail" TEXT,
    "requestId" TEXT
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Referral" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "activityId" TEXT NOT NULL,
    "activityOrganizationId" TEXT,
    "activityCheck" TEXT NOT NULL DEFAULT 'PENDING',
    "activityCheckedAt" DATETIME,
    "status" TEXT NOT NULL DEFAULT 'SENT',
    "source" TEXT NOT NULL DEFAULT 'PROFESSIONAL',
    "pathway" TEXT NOT NULL DEFAULT '',
    "referrerSubject" TEXT,
    "referrerProfession" TEXT,
    "referrerOrganizationId" TEXT,
    "idempotencyScope" TEXT NOT NULL DEFAULT '',
    "idempotencyKey" TEXT,
    "requestFingerprint" TEXT,
    "referenceCode" TEXT,
    "ageBand" TEXT,
    "postcodeArea" TEXT,
    "firstResponseAt" DATETIME,
    "followUpDueAt" DATETIME,
    "closedAt" DATETIME,
    "erasedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Referral" ("activityId", "createdAt", "id", "idempotencyKey", "status", "updatedAt") SELECT "activityId", "createdAt", "id", "idempotencyKey", "status", "updatedAt" FROM "Referral";
DROP TABLE "Referral";
ALTER TABLE "new_Referral" RENAME TO "Referral";
CREATE UNIQUE INDEX "Referral_referenceCode_key" ON "Referral"("referenceCode");
CREATE INDEX "Referral_activityId_status_idx" ON "Referral"("activityId", "status");
CREATE INDEX "Referral_activityOrganizationId_status_idx" ON "Referral"("activityOrganizationId", "status");
CREATE INDEX "Referral_referrerSubject_status_idx" ON "Referral"("referrerSubject", "status");
CREATE INDEX "Referral_referrerOrganizationId_status_idx" ON "Referral"("referrerOrganizationId", "status");
CREATE INDEX "Referral_status_createdAt_idx" ON "Referral"("status", "createdAt");
CREATE INDEX "Referral_followUpDueAt_idx" ON "Referral"("followUpDueAt");
CREATE INDEX "Referral_closedAt_erasedAt_idx" ON "Referral"("closedAt", "erasedAt");
CREATE INDEX "Referral_activityCheck_idx" ON "Referral"("activityCheck");
CREATE UNIQUE INDEX "Referral_idempotencyScope_idempotencyKey_key" ON "Referral"("idempotencyScope", "idempotencyKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

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
