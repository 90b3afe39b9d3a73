// scripts/check-migrations.ts on the committed tree, and on a temporary copy whose models change.
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { targetsUnder } from '../src/engine/check-migrations';
import { createMigrations } from '../src/engine/create-migrations';
import { renderSchema } from '../src/schema-files';
import { PRISMA_PACKAGE_DIR } from '../src/targets';
import { cleanUp, TEST_DATABASE_URL, tempDir, tsx } from './helpers';

afterAll(cleanUp);

const SCRIPT = path.join(PRISMA_PACKAGE_DIR, 'scripts', 'check-migrations.ts');
const env: Record<string, string> = TEST_DATABASE_URL ? { TEST_DATABASE_URL } : {};

/** models/ and schemas/ copied to a temporary package folder. */
async function copyPackage(): Promise<string> {
  const root = await tempDir('sp-check-');
  await cp(path.join(PRISMA_PACKAGE_DIR, 'models'), path.join(root, 'models'), { recursive: true });
  await cp(path.join(PRISMA_PACKAGE_DIR, 'schemas'), path.join(root, 'schemas'), { recursive: true });
  return root;
}

async function addPhoneToModels(root: string) {
  const file = path.join(root, 'models', 'provider.prisma');
  const models = await readFile(file, 'utf8');
  const changed = models.replace(/(\n  website\s+String\?\n)/, '$1  faxNumber   String?\n');
  expect(changed).not.toBe(models);
  await writeFile(file, changed);
}

async function syncSchemas(root: string) {
  for (const target of targetsUnder(root)) await writeFile(target.schemaFile, await renderSchema(target));
}

describe('check-migrations', () => {
  it('passes on the committed tree', async () => {
    const result = await tsx(SCRIPT, [], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/ok\s+provider\/sqlite/);
    expect(result.stdout).toMatch(TEST_DATABASE_URL ? /ok\s+provider\/postgresql/ : /skipped\s+provider\/postgresql/);
    expect(result.stdout).toMatch(/Migrations match the models/);
  });

  it('fails, naming the target, when a model changes and schema.prisma is not regenerated', async () => {
    const root = await copyPackage();
    await addPhoneToModels(root);
    const result = await tsx(SCRIPT, ['--root', root], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/FAILED\s+provider\/sqlite: schemas\/provider\/sqlite\/schema\.prisma is out of sync/);
    expect(result.stderr).toMatch(/FAILED\s+provider\/postgresql: .*out of sync/);
    expect(result.stderr).not.toMatch(/referral/);
  });

  it('fails, naming the target, when schema.prisma changes without a migration; passes once migrate:create has run', async () => {
    const root = await copyPackage();
    await addPhoneToModels(root);
    await syncSchemas(root);
    const missing = await tsx(SCRIPT, ['--root', root], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/FAILED\s+provider\/sqlite: the migrations in schemas\/provider\/sqlite\/migrations do not produce schema\.prisma/);
    expect(missing.stderr).toMatch(/Added column `faxNumber`/);
    if (TEST_DATABASE_URL) expect(missing.stderr).toMatch(/FAILED\s+provider\/postgresql: the migrations/);

    const created = await createMigrations({
      name: 'add_fax_number',
      root,
      kinds: TEST_DATABASE_URL ? ['sqlite', 'postgresql'] : ['sqlite'],
      postgresUrl: TEST_DATABASE_URL,
    });
    expect(created.map((migration) => migration.target).sort()).toEqual(
      TEST_DATABASE_URL ? ['provider/postgresql', 'provider/sqlite'] : ['provider/sqlite'],
    );
    const sqliteScript = await readFile(path.join(created.find((m) => m.target === 'provider/sqlite')!.directory, 'migration.sql'), 'utf8');
    expect(sqliteScript).toMatch(/ALTER TABLE "Organization" ADD COLUMN "faxNumber" TEXT/);

    const after = await tsx(SCRIPT, ['--root', root], env);
    if (TEST_DATABASE_URL) {
      expect(after.code, after.stderr).toBe(0);
    } else {
      // Without a server only the SQLite migration exists, and the histories no longer pair up.
      expect(after.code).toBe(1);
      expect(after.stderr).toMatch(/FAILED\s+provider\/postgresql: has no migration to match the SQLite migration\(s\) add_fax_number/);
      expect(after.stdout).toMatch(/ok\s+provider\/sqlite/);
    }
  });
});
