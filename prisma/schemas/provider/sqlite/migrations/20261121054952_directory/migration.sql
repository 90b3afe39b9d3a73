/*
  Warnings:

  - You are about to drop the column `area` on the `Activity` table. All the data in the column will be lost.
  - You are about to drop the column `costDescription` on the `Activity` table. All the data in the column will be lost.
  - You are about to drop the column `scheduleDescription` on the `Activity` table. All the data in the column will be lost.
  - You are about to drop the column `suitableFor` on the `Activity` table. All the data in the column will be lost.
  - You are about to drop the column `town` on the `Activity` table. All the data in the column will be lost.

*/
-- AlterTable
ALTER TABLE "Organization" ADD COLUMN "phone" TEXT;

-- CreateTable
CREATE TABLE "OrganizationIdentifier" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "organizationId" TEXT NOT NULL,
    "identifierScheme" TEXT,
    "identifierType" TEXT NOT NULL,
    "identifier" TEXT NOT NULL,
    CONSTRAINT "OrganizationIdentifier_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Taxonomy" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "uri" TEXT,
    "version" TEXT
);

-- CreateTable
CREATE TABLE "TaxonomyTerm" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "taxonomyId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "parentId" TEXT,
    "synonyms" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "TaxonomyTerm_taxonomyId_fkey" FOREIGN KEY ("taxonomyId") REFERENCES "Taxonomy" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ActivityTerm" (
    "activityId" TEXT NOT NULL,
    "termId" TEXT NOT NULL,

    PRIMARY KEY ("activityId", "termId"),
    CONSTRAINT "ActivityTerm_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "Activity" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ActivityTerm_termId_fkey" FOREIGN KEY ("termId") REFERENCES "TaxonomyTerm" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Location" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "organizationId" TEXT,
    "locationType" TEXT NOT NULL,
    "name" TEXT,
    "description" TEXT,
    "latitude" REAL,
    "longitude" REAL,
    "address1" TEXT,
    "city" TEXT,
    "region" TEXT,
    "postalCode" TEXT,
    "country" TEXT,
    "healthBoard" TEXT,
    "localAuthority" TEXT,
    "accessibilityNote" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Location_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LocationAccessibility" (
    "locationId" TEXT NOT NULL,
    "termId" TEXT NOT NULL,
    "details" TEXT,

    PRIMARY KEY ("locationId", "termId"),
    CONSTRAINT "LocationAccessibility_locationId_fkey" FOREIGN KEY ("locationId") REFERENCES "Location" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "LocationAccessibility_termId_fkey" FOREIGN KEY ("termId") REFERENCES "TaxonomyTerm" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ServiceAtLocation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "activityId" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "description" TEXT,
    "places" INTEGER,
    "placesRemaining" INTEGER,
    "waitingListOpen" BOOLEAN NOT NULL DEFAULT false,
    "capacityUpdatedAt" DATETIME,
    CONSTRAINT "ServiceAtLocation_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "Activity" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ServiceAtLocation_locationId_fkey" FOREIGN KEY ("locationId") REFERENCES "Location" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Schedule" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "activityId" TEXT,
    "serviceAtLocationId" TEXT,
    "freq" TEXT,
    "interval" INTEGER,
    "byday" TEXT,
    "bymonthday" TEXT,
    "opensAt" TEXT,
    "closesAt" TEXT,
    "validFrom" DATETIME,
    "validTo" DATETIME,
    "dtstart" DATETIME,
    "description" TEXT,
    "attendingType" TEXT,
    "notes" TEXT,
    CONSTRAINT "Schedule_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "Activity" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Schedule_serviceAtLocationId_fkey" FOREIGN KEY ("serviceAtLocationId") REFERENCES "ServiceAtLocation" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CostOption" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "activityId" TEXT NOT NULL,
    "option" TEXT,
    "amount" DECIMAL,
    "amountDescription" TEXT,
    "validFrom" DATETIME,
    "validTo" DATETIME,
    CONSTRAINT "CostOption_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "Activity" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ServiceArea" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "activityId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "extent" TEXT,
    "extentType" TEXT,
    CONSTRAINT "ServiceArea_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "Activity" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Language" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "activityId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "code" TEXT,
    "note" TEXT,
    CONSTRAINT "Language_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "Activity" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Contact" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "activityId" TEXT NOT NULL,
    "name" TEXT,
    "title" TEXT,
    "email" TEXT,
    "phone" TEXT,
    CONSTRAINT "Contact_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "Activity" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ChangeRecord" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "resourceType" TEXT NOT NULL,
    "resourceId" TEXT NOT NULL,
    "activityId" TEXT,
    "organizationId" TEXT,
    "lastActionType" TEXT NOT NULL,
    "fieldName" TEXT NOT NULL,
    "previousValue" TEXT,
    "replacementValue" TEXT,
    "updatedBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Activity" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "organizationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "url" TEXT,
    "email" TEXT,
    "status" TEXT NOT NULL DEFAULT 'ACTIVE',
    "deliveryMode" TEXT NOT NULL,
    "fees" TEXT,
    "isFree" BOOLEAN NOT NULL DEFAULT false,
    "minimumAge" INTEGER,
    "maximumAge" INTEGER,
    "eligibilityDescription" TEXT,
    "assuredDate" DATETIME,
    "assurerEmail" TEXT,
    "cognitiveDemand" INTEGER NOT NULL DEFAULT 0,
    "sensoryDemand" INTEGER NOT NULL DEFAULT 0,
    "mobilityDemand" INTEGER NOT NULL DEFAULT 0,
    "communicationDemand" INTEGER NOT NULL DEFAULT 0,
    "resourcesRequired" TEXT NOT NULL DEFAULT '',
    "keywords" TEXT NOT NULL DEFAULT '',
    "isSample" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Activity_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Activity" ("createdAt", "deliveryMode", "description", "id", "isFree", "isSample", "name", "organizationId", "status", "updatedAt") SELECT "createdAt", "deliveryMode", "description", "id", "isFree", "isSample", "name", "organizationId", "status", "updatedAt" FROM "Activity";
DROP TABLE "Activity";
ALTER TABLE "new_Activity" RENAME TO "Activity";
CREATE INDEX "Activity_organizationId_idx" ON "Activity"("organizationId");
CREATE INDEX "Activity_status_name_idx" ON "Activity"("status", "name");
CREATE INDEX "Activity_assuredDate_idx" ON "Activity"("assuredDate");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "OrganizationIdentifier_organizationId_idx" ON "OrganizationIdentifier"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "TaxonomyTerm_taxonomyId_code_key" ON "TaxonomyTerm"("taxonomyId", "code");

-- CreateIndex
CREATE INDEX "ActivityTerm_termId_idx" ON "ActivityTerm"("termId");

-- CreateIndex
CREATE INDEX "Location_city_idx" ON "Location"("city");

-- CreateIndex
CREATE INDEX "LocationAccessibility_termId_idx" ON "LocationAccessibility"("termId");

-- CreateIndex
CREATE INDEX "ServiceAtLocation_locationId_idx" ON "ServiceAtLocation"("locationId");

-- CreateIndex
CREATE UNIQUE INDEX "ServiceAtLocation_activityId_locationId_key" ON "ServiceAtLocation"("activityId", "locationId");

-- CreateIndex
CREATE INDEX "Schedule_activityId_idx" ON "Schedule"("activityId");

-- CreateIndex
CREATE INDEX "Schedule_serviceAtLocationId_idx" ON "Schedule"("serviceAtLocationId");

-- CreateIndex
CREATE INDEX "CostOption_activityId_idx" ON "CostOption"("activityId");

-- CreateIndex
CREATE INDEX "ServiceArea_activityId_idx" ON "ServiceArea"("activityId");

-- CreateIndex
CREATE INDEX "ServiceArea_name_idx" ON "ServiceArea"("name");

-- CreateIndex
CREATE INDEX "Language_activityId_idx" ON "Language"("activityId");

-- CreateIndex
CREATE INDEX "Contact_activityId_idx" ON "Contact"("activityId");

-- CreateIndex
CREATE INDEX "ChangeRecord_activityId_createdAt_idx" ON "ChangeRecord"("activityId", "createdAt");

-- CreateIndex
CREATE INDEX "ChangeRecord_organizationId_createdAt_idx" ON "ChangeRecord"("organizationId", "createdAt");

-- CreateIndex
CREATE INDEX "ChangeRecord_resourceType_resourceId_idx" ON "ChangeRecord"("resourceType", "resourceId");
