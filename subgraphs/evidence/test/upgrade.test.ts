// A database from the first version of this subgraph (records with a title, summary, source URL
// and study type, only ever its sample data) migrates to the curated model without losing its
// rows, and its outdated sample is then replaced by the current one.
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEvidenceDatabase } from '@sp/prisma/evidence';
import { migrateDatabase } from '@sp/prisma/migrate';
import { SAMPLE_EVIDENCE, sampleEvidenceId, seedEvidenceSample } from '@sp/prisma/sample/evidence';
import { target } from '@sp/prisma/targets';
import { createTestDatabaseLocation, testDatabaseKinds, type TestDatabaseLocation } from '@sp/prisma/testing';

describe.each(testDatabaseKinds())('upgrading a first-version evidence database on %s', (kind) => {
  let place: TestDatabaseLocation;
  let firstVersion: string;

  beforeAll(async () => {
    place = await createTestDatabaseLocation('evidence', kind);
    // The migrations as they were: only the first one.
    const current = target('evidence', kind);
    firstVersion = await mkdtemp(path.join(tmpdir(), 'sp-evidence-migrations-'));
    const [first] = (await readdir(current.migrationsDir)).filter((name) => /^\d{14}_/.test(name)).sort();
    await cp(path.join(current.migrationsDir, first!), path.join(firstVersion, first!), { recursive: true });
    await cp(path.join(current.migrationsDir, 'migration_lock.toml'), path.join(firstVersion, 'migration_lock.toml'));
  });
  afterAll(async () => {
    await place?.destroy();
    if (firstVersion) await rm(firstVersion, { recursive: true, force: true });
  });

  it('keeps the old rows through the migration, then brings the sample up to date', async () => {
    await migrateDatabase({ ...target('evidence', kind), migrationsDir: firstVersion }, place.location);
    const davis = sampleEvidenceId('davis-scottish-ballet-qualitative');
    // A sample id (a UUID our code derives), written into the SQL as is: placeholders differ by database.
    const old = await openEvidenceDatabase(place.location, { migrate: false });
    try {
      await old.client.$executeRawUnsafe(
        `INSERT INTO "EvidenceRecord" ("id", "title", "summary", "sourceUrl", "studyType", "updatedAt") VALUES ('${davis}', 'Old title', 'Old summary', 'https://example.org/old', 'QUALITATIVE', CURRENT_TIMESTAMP)`,
      );
      await old.client.$executeRawUnsafe(`INSERT INTO "EvidenceActivity" ("recordId", "activityId") VALUES ('${davis}', 'activity-1')`);
    } finally {
      await old.close();
    }

    const upgraded = await openEvidenceDatabase(place.location);
    try {
      expect(upgraded.appliedMigrations).toHaveLength(1);
      const kept = await upgraded.client.evidenceRecord.findUniqueOrThrow({ where: { id: davis }, include: { activities: true } });
      expect(kept).toMatchObject({ title: 'Old title', url: 'https://example.org/old', status: 'PUBLISHED', isSampleData: true, lastEditedBy: 'sample-data' });
      expect(kept.activities).toEqual([{ recordId: davis, activityId: 'activity-1' }]);

      expect(await seedEvidenceSample(upgraded.client)).toBe(SAMPLE_EVIDENCE.length);
      const refreshed = await upgraded.client.evidenceRecord.findUniqueOrThrow({ where: { id: davis } });
      expect(refreshed.title).toBe(SAMPLE_EVIDENCE.find((record) => record.slug === 'davis-scottish-ballet-qualitative')!.title);
      expect(await upgraded.client.evidenceRecord.count()).toBe(SAMPLE_EVIDENCE.length);
    } finally {
      await upgraded.close();
    }
  });
});
