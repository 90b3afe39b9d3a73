-- CreateEnum
CREATE TYPE "StudyType" AS ENUM ('SYSTEMATIC_REVIEW', 'META_ANALYSIS', 'RANDOMISED_CONTROLLED_TRIAL', 'COHORT_OR_BEFORE_AFTER', 'QUALITATIVE', 'SERVICE_EVALUATION', 'SOCIAL_RETURN_ON_INVESTMENT', 'CASE_STUDY', 'PARTICIPANT_TESTIMONY');

-- CreateTable
CREATE TABLE "EvidenceRecord" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "sourceUrl" TEXT,
    "studyType" "StudyType" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EvidenceRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvidenceActivity" (
    "recordId" TEXT NOT NULL,
    "activityId" TEXT NOT NULL,

    CONSTRAINT "EvidenceActivity_pkey" PRIMARY KEY ("recordId","activityId")
);

-- CreateIndex
CREATE INDEX "EvidenceActivity_activityId_idx" ON "EvidenceActivity"("activityId");

-- AddForeignKey
ALTER TABLE "EvidenceActivity" ADD CONSTRAINT "EvidenceActivity_recordId_fkey" FOREIGN KEY ("recordId") REFERENCES "EvidenceRecord"("id") ON DELETE CASCADE ON UPDATE CASCADE;
