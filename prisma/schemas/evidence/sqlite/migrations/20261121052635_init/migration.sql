-- CreateTable
CREATE TABLE "EvidenceRecord" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "sourceUrl" TEXT,
    "studyType" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "EvidenceActivity" (
    "recordId" TEXT NOT NULL,
    "activityId" TEXT NOT NULL,

    PRIMARY KEY ("recordId", "activityId"),
    CONSTRAINT "EvidenceActivity_recordId_fkey" FOREIGN KEY ("recordId") REFERENCES "EvidenceRecord" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "EvidenceActivity_activityId_idx" ON "EvidenceActivity"("activityId");
