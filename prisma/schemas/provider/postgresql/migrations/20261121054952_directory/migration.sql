/*
  Warnings:

  - You are about to drop the column `area` on the `Activity` table. All the data in the column will be lost.
  - You are about to drop the column `costDescription` on the `Activity` table. All the data in the column will be lost.
  - You are about to drop the column `scheduleDescription` on the `Activity` table. All the data in the column will be lost.
  - You are about to drop the column `suitableFor` on the `Activity` table. All the data in the column will be lost.
  - You are about to drop the column `town` on the `Activity` table. All the data in the column will be lost.

*/
-- CreateEnum
CREATE TYPE "LocationType" AS ENUM ('PHYSICAL', 'POSTAL', 'VIRTUAL');

-- DropIndex
DROP INDEX "Activity_createdAt_id_idx";

-- AlterTable
ALTER TABLE "Activity" DROP COLUMN "area",
DROP COLUMN "costDescription",
DROP COLUMN "scheduleDescription",
DROP COLUMN "suitableFor",
DROP COLUMN "town",
ADD COLUMN     "assuredDate" TIMESTAMP(3),
ADD COLUMN     "assurerEmail" TEXT,
ADD COLUMN     "cognitiveDemand" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "communicationDemand" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "eligibilityDescription" TEXT,
ADD COLUMN     "email" TEXT,
ADD COLUMN     "fees" TEXT,
ADD COLUMN     "keywords" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "maximumAge" INTEGER,
ADD COLUMN     "minimumAge" INTEGER,
ADD COLUMN     "mobilityDemand" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "resourcesRequired" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "sensoryDemand" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "url" TEXT,
ALTER COLUMN "isFree" SET DEFAULT false;

-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "phone" TEXT;

-- CreateTable
CREATE TABLE "OrganizationIdentifier" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "identifierScheme" TEXT,
    "identifierType" TEXT NOT NULL,
    "identifier" TEXT NOT NULL,

    CONSTRAINT "OrganizationIdentifier_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Taxonomy" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "uri" TEXT,
    "version" TEXT,

    CONSTRAINT "Taxonomy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TaxonomyTerm" (
    "id" TEXT NOT NULL,
    "taxonomyId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "parentId" TEXT,
    "synonyms" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "TaxonomyTerm_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ActivityTerm" (
    "activityId" TEXT NOT NULL,
    "termId" TEXT NOT NULL,

    CONSTRAINT "ActivityTerm_pkey" PRIMARY KEY ("activityId","termId")
);

-- CreateTable
CREATE TABLE "Location" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT,
    "locationType" "LocationType" NOT NULL,
    "name" TEXT,
    "description" TEXT,
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,
    "address1" TEXT,
    "city" TEXT,
    "region" TEXT,
    "postalCode" TEXT,
    "country" TEXT,
    "healthBoard" TEXT,
    "localAuthority" TEXT,
    "accessibilityNote" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Location_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LocationAccessibility" (
    "locationId" TEXT NOT NULL,
    "termId" TEXT NOT NULL,
    "details" TEXT,

    CONSTRAINT "LocationAccessibility_pkey" PRIMARY KEY ("locationId","termId")
);

-- CreateTable
CREATE TABLE "ServiceAtLocation" (
    "id" TEXT NOT NULL,
    "activityId" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "description" TEXT,
    "places" INTEGER,
    "placesRemaining" INTEGER,
    "waitingListOpen" BOOLEAN NOT NULL DEFAULT false,
    "capacityUpdatedAt" TIMESTAMP(3),

    CONSTRAINT "ServiceAtLocation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Schedule" (
    "id" TEXT NOT NULL,
    "activityId" TEXT,
    "serviceAtLocationId" TEXT,
    "freq" TEXT,
    "interval" INTEGER,
    "byday" TEXT,
    "bymonthday" TEXT,
    "opensAt" TEXT,
    "closesAt" TEXT,
    "validFrom" TIMESTAMP(3),
    "validTo" TIMESTAMP(3),
    "dtstart" TIMESTAMP(3),
    "description" TEXT,
    "attendingType" TEXT,
    "notes" TEXT,

    CONSTRAINT "Schedule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CostOption" (
    "id" TEXT NOT NULL,
    "activityId" TEXT NOT NULL,
    "option" TEXT,
    "amount" DECIMAL(65,30),
    "amountDescription" TEXT,
    "validFrom" TIMESTAMP(3),
    "validTo" TIMESTAMP(3),

    CONSTRAINT "CostOption_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServiceArea" (
    "id" TEXT NOT NULL,
    "activityId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "extent" TEXT,
    "extentType" TEXT,

    CONSTRAINT "ServiceArea_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Language" (
    "id" TEXT NOT NULL,
    "activityId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "code" TEXT,
    "note" TEXT,

    CONSTRAINT "Language_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Contact" (
    "id" TEXT NOT NULL,
    "activityId" TEXT NOT NULL,
    "name" TEXT,
    "title" TEXT,
    "email" TEXT,
    "phone" TEXT,

    CONSTRAINT "Contact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChangeRecord" (
    "id" TEXT NOT NULL,
    "resourceType" TEXT NOT NULL,
    "resourceId" TEXT NOT NULL,
    "activityId" TEXT,
    "organizationId" TEXT,
    "lastActionType" TEXT NOT NULL,
    "fieldName" TEXT NOT NULL,
    "previousValue" TEXT,
    "replacementValue" TEXT,
    "updatedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChangeRecord_pkey" PRIMARY KEY ("id")
);

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

-- CreateIndex
CREATE INDEX "Activity_status_name_idx" ON "Activity"("status", "name");

-- CreateIndex
CREATE INDEX "Activity_assuredDate_idx" ON "Activity"("assuredDate");

-- AddForeignKey
ALTER TABLE "OrganizationIdentifier" ADD CONSTRAINT "OrganizationIdentifier_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TaxonomyTerm" ADD CONSTRAINT "TaxonomyTerm_taxonomyId_fkey" FOREIGN KEY ("taxonomyId") REFERENCES "Taxonomy"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActivityTerm" ADD CONSTRAINT "ActivityTerm_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "Activity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActivityTerm" ADD CONSTRAINT "ActivityTerm_termId_fkey" FOREIGN KEY ("termId") REFERENCES "TaxonomyTerm"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Location" ADD CONSTRAINT "Location_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LocationAccessibility" ADD CONSTRAINT "LocationAccessibility_locationId_fkey" FOREIGN KEY ("locationId") REFERENCES "Location"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LocationAccessibility" ADD CONSTRAINT "LocationAccessibility_termId_fkey" FOREIGN KEY ("termId") REFERENCES "TaxonomyTerm"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceAtLocation" ADD CONSTRAINT "ServiceAtLocation_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "Activity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceAtLocation" ADD CONSTRAINT "ServiceAtLocation_locationId_fkey" FOREIGN KEY ("locationId") REFERENCES "Location"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Schedule" ADD CONSTRAINT "Schedule_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "Activity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Schedule" ADD CONSTRAINT "Schedule_serviceAtLocationId_fkey" FOREIGN KEY ("serviceAtLocationId") REFERENCES "ServiceAtLocation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CostOption" ADD CONSTRAINT "CostOption_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "Activity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceArea" ADD CONSTRAINT "ServiceArea_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "Activity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Language" ADD CONSTRAINT "Language_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "Activity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Contact" ADD CONSTRAINT "Contact_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "Activity"("id") ON DELETE CASCADE ON UPDATE CASCADE;
