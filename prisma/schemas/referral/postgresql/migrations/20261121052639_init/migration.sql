-- CreateEnum
CREATE TYPE "ReferralStatus" AS ENUM ('SENT', 'RECEIVED', 'ACCEPTED', 'ATTENDING', 'COMPLETED', 'DECLINED', 'DID_NOT_ATTEND', 'WITHDRAWN', 'CANCELLED');

-- CreateTable
CREATE TABLE "Referral" (
    "id" TEXT NOT NULL,
    "activityId" TEXT NOT NULL,
    "status" "ReferralStatus" NOT NULL DEFAULT 'SENT',
    "idempotencyKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Referral_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Referral_idempotencyKey_key" ON "Referral"("idempotencyKey");

-- CreateIndex
CREATE INDEX "Referral_activityId_idx" ON "Referral"("activityId");
