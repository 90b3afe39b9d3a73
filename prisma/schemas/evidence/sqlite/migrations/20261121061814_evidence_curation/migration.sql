/*
  Hand-edited after generation: the rows an earlier version could hold were only ever its sample
  data (it had no way to add records), so they are kept, copied into the new table with their
  URL, marked as untouched, published sample data and given placeholder curation fields. The
  sample loader then replaces them with the current sample (see prisma/sample/evidence.ts).
*/
-- CreateTable
CREATE TABLE "EvidenceOutcome" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "recordId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "measured" TEXT NOT NULL,
    "measure" TEXT NOT NULL,
    "statement" TEXT,
    "figure" REAL,
    "figureHigh" REAL,
    "unit" TEXT,
    "direction" TEXT NOT NULL,
    "comparison" TEXT,
    CONSTRAINT "EvidenceOutcome_recordId_fkey" FOREIGN KEY ("recordId") REFERENCES "EvidenceRecord" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "EvidenceTopic" (
    "recordId" TEXT NOT NULL,
    "taxonomyId" TEXT NOT NULL,
    "code" TEXT NOT NULL,

    PRIMARY KEY ("recordId", "taxonomyId", "code"),
    CONSTRAINT "EvidenceTopic_recordId_fkey" FOREIGN KEY ("recordId") REFERENCES "EvidenceRecord" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "EvidenceOrganization" (
    "recordId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,

    PRIMARY KEY ("recordId", "organizationId"),
    CONSTRAINT "EvidenceOrganization_recordId_fkey" FOREIGN KEY ("recordId") REFERENCES "EvidenceRecord" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "EvidenceRevision" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "recordId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "EvidenceRevision_recordId_fkey" FOREIGN KEY ("recordId") REFERENCES "EvidenceRecord" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "EvidenceFieldChange" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "revisionId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "field" TEXT NOT NULL,
    "previousValue" TEXT,
    "newValue" TEXT,
    CONSTRAINT "EvidenceFieldChange_revisionId_fkey" FOREIGN KEY ("revisionId") REFERENCES "EvidenceRevision" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "EvidenceReviewComment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "recordId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "author" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "EvidenceReviewComment_recordId_fkey" FOREIGN KEY ("recordId") REFERENCES "EvidenceRecord" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_EvidenceRecord" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "keyFinding" TEXT NOT NULL,
    "citation" TEXT NOT NULL,
    "url" TEXT,
    "doi" TEXT,
    "publisher" TEXT,
    "publicationDate" TEXT,
    "studyType" TEXT NOT NULL,
    "strength" TEXT NOT NULL,
    "strengthReason" TEXT NOT NULL,
    "ageGroup" TEXT,
    "setting" TEXT,
    "region" TEXT,
    "sampleSize" INTEGER,
    "sampleDescription" TEXT,
    "limitations" TEXT,
    "status" TEXT NOT NULL DEFAULT 'DRAFT',
    "retractionReason" TEXT,
    "publishedAt" DATETIME,
    "retractedAt" DATETIME,
    "createdBy" TEXT NOT NULL,
    "lastEditedBy" TEXT NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 0,
    "isSampleData" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_EvidenceRecord" ("createdAt", "id", "studyType", "summary", "title", "updatedAt", "url", "keyFinding", "citation", "strength", "strengthReason", "status", "createdBy", "lastEditedBy", "isSampleData")
SELECT "createdAt", "id", "studyType", "summary", "title", "updatedAt", "sourceUrl", "title", "title", 'VERY_LOW', 'Not graded: recorded before strength grades existed.', 'PUBLISHED', 'sample-data', 'sample-data', true FROM "EvidenceRecord";
DROP TABLE "EvidenceRecord";
ALTER TABLE "new_EvidenceRecord" RENAME TO "EvidenceRecord";
CREATE INDEX "EvidenceRecord_status_strength_idx" ON "EvidenceRecord"("status", "strength");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

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
