// Applies pending migrations to every subgraph's database, as configured by the environment
// (DATABASE_URL, PROVIDER_DATABASE_URL, ...; SQLite files under ./data/ when unset).
//
//   npm run migrate:deploy -w @sp/prisma
import { describeDatabase, resolveDatabase } from '../database';
import { migrateDatabase } from '../migrate';
import { SUBGRAPHS, target } from '../targets';

let failed = false;
for (const subgraph of SUBGRAPHS) {
  const location = resolveDatabase(subgraph, process.env);
  try {
    const { applied } = await migrateDatabase(target(subgraph, location.kind), location);
    console.log(
      `${subgraph}: ${applied.length > 0 ? `applied ${applied.join(', ')}` : 'up to date'} (${describeDatabase(location)})`,
    );
  } catch (error) {
    failed = true;
    console.error(`${subgraph}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
process.exit(failed ? 1 : 0);
