/*
  Hand-edited after generation: the rows an earlier version could hold were only ever its sample
  data (it had no way to add records), so they are kept, copied into the new table with their
  URL, marked as untouched, published sample data and given placeholder curation fields. The
  sample loader then replaces them with the current sample (see prisma/sample/evidence.ts).
*/
-- CreateEnum
CREATE TYPE "EvidenceStrength" AS ENUM ('HIGH', 'MODERATE', 'LOW', 'VERY_LOW');

-- CreateEnum
CREATE TYPE "EvidenceStatus" AS ENUM ('DRAFT', 'IN_REVIEW', 'CHANGES_REQUESTED', 'PUBLISHED', 'RETRACTED');

-- CreateEnum
CREATE TYPE "OutcomeDirection" AS ENUM ('INCREASE', 'DECREASE', 'IMPROVEMENT', 'WORSENING', 'NO_CHANGE', 'MIXED', 'INCONCLUSIVE', 'NOT_STATED');

-- CreateEnum
CREATE TYPE "EvidenceRevisionAction" AS ENUM ('CREATED', 'EDITED', 'SUBMITTED', 'CHANGES_REQUESTED', 'PUBLISHED', 'RETRACTED', 'IMPORTED');

-- CreateEnum
CREATE TYPE "ReviewCommentKind" AS ENUM ('COMMENT', 'SUBMISSION', 'CHANGES_REQUESTED', 'APPROVAL');

-- AlterTable
ALTER TABLE "EvidenceRecord" ADD COLUMN     "ageGroup" TEXT,
ADD COLUMN     "citation" TEXT,
ADD COLUMN     "createdBy" TEXT,
ADD COLUMN     "doi" TEXT,
ADD COLUMN     "isSampleData" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "keyFinding" TEXT,
ADD COLUMN     "lastEditedBy" TEXT,
ADD COLUMN     "limitations" TEXT,
ADD COLUMN     "publicationDate" TEXT,
ADD COLUMN     "publishedAt" TIMESTAMP(3),
ADD COLUMN     "publisher" TEXT,
ADD COLUMN     "region" TEXT,
ADD COLUMN     "retractedAt" TIMESTAMP(3),
ADD COLUMN     "retractionReason" TEXT,
ADD COLUMN     "revision" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "sampleDescription" TEXT,
ADD COLUMN     "sampleSize" INTEGER,
ADD COLUMN     "setting" TEXT,
ADD COLUMN     "status" "EvidenceStatus" NOT NULL DEFAULT 'DRAFT',
ADD COLUMN     "strength" "EvidenceStrength",
ADD COLUMN     "strengthReason" TEXT,
ADD COLUMN     "url" TEXT;

-- Keep the earlier sample rows (see the note above)
UPDATE "EvidenceRecord" SET "url" = "sourceUrl", "keyFinding" = "title", "citation" = "title", "strength" = 'VERY_LOW',
  "strengthReason" = 'Not graded: recorded before strength grades existed.', "status" = 'PUBLISHED',
  "createdBy" = 'sample-data', "lastEditedBy" = 'sample-data', "isSampleData" = true;

ALTER TABLE "EvidenceRecord" DROP COLUMN "sourceUrl",
ALTER COLUMN "citation" SET NOT NULL,
ALTER COLUMN "createdBy" SET NOT NULL,
ALTER COLUMN "keyFinding" SET NOT NULL,
ALTER COLUMN "lastEditedBy" SET NOT NULL,
ALTER COLUMN "strength" SET NOT NULL,
ALTER COLUMN "strengthReason" SET NOT NULL;

-- CreateTable
CREATE TABLE "EvidenceOutcome" (
    "id" TEXT NOT NULL,
    "recordId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "measured" TEXT NOT NULL,
    "measure" TEXT NOT NULL,
    "statement" TEXT,
    "figure" DOUBLE PRECISION,
    "figureHigh" DOUBLE PRECISION,
    "unit" TEXT,
    "direction" "OutcomeDirection" NOT NULL,
    "comparison" TEXT,

    CONSTRAINT "EvidenceOutcome_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvidenceTopic" (
    "recordId" TEXT NOT NULL,
    "taxonomyId" TEXT NOT NULL,
    "code" TEXT NOT NULL,

    CONSTRAINT "EvidenceTopic_pkey" PRIMARY KEY ("recordId","taxonomyId","code")
);

-- CreateTable
CREATE TABLE "EvidenceOrganization" (
    "recordId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,

    CONSTRAINT "EvidenceOrganization_pkey" PRIMARY KEY ("recordId","organizationId")
);

-- CreateTable
CREATE TABLE "EvidenceRevision" (
    "id" TEXT NOT NULL,
    "recordId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "action" "EvidenceRevisionAction" NOT NULL,
    "actor" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EvidenceRevision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvidenceFieldChange" (
    "id" TEXT NOT NULL,
    "revisionId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "field" TEXT NOT NULL,
    "previousValue" TEXT,
    "newValue" TEXT,

    CONSTRAINT "EvidenceFieldChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvidenceReviewComment" (
    "id" TEXT NOT NULL,
    "recordId" TEXT NOT NULL,
    "kind" "ReviewCommentKind" NOT NULL,
    "author" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EvidenceReviewComment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "EvidenceOutcome_recordId_position_idx" ON "EvidenceOutcome"("recordId", "position");

-- CreateIndex
CREATE INDEX "EvidenceTopic_taxonomyId_code_idx" ON "EvidenceTopic"("taxonomyId", "code");

-- CreateIndex
CREATE INDEX "EvidenceOrganization_organizationId_idx" ON "EvidenceOrganization"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "EvidenceRevision_recordId_number_key" ON "EvidenceRevision"("recordId", "number");

-- CreateIndex
CREATE INDEX "EvidenceFieldChange_revisionId_position_idx" ON "EvidenceFieldChange"("revisionId", "position");

-- CreateIndex
CREATE INDEX "EvidenceReviewComment_recordId_createdAt_idx" ON "EvidenceReviewComment"("recordId", "createdAt");

-- CreateIndex
CREATE INDEX "EvidenceRecord_status_strength_idx" ON "EvidenceRecord"("status", "strength");

-- AddForeignKey
ALTER TABLE "EvidenceOutcome" ADD CONSTRAINT "EvidenceOutcome_recordId_fkey" FOREIGN KEY ("recordId") REFERENCES "EvidenceRecord"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvidenceTopic" ADD CONSTRAINT "EvidenceTopic_recordId_fkey" FOREIGN KEY ("recordId") REFERENCES "EvidenceRecord"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvidenceOrganization" ADD CONSTRAINT "EvidenceOrganization_recordId_fkey" FOREIGN KEY ("recordId") REFERENCES "EvidenceRecord"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvidenceRevision" ADD CONSTRAINT "EvidenceRevision_recordId_fkey" FOREIGN KEY ("recordId") REFERENCES "EvidenceRecord"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvidenceFieldChange" ADD CONSTRAINT "EvidenceFieldChange_revisionId_fkey" FOREIGN KEY ("revisionId") REFERENCES "EvidenceRevision"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvidenceReviewComment" ADD CONSTRAINT "EvidenceReviewComment_recordId_fkey" FOREIGN KEY ("recordId") REFERENCES "EvidenceRecord"("id") ON DELETE CASCADE ON UPDATE CASCADE;
