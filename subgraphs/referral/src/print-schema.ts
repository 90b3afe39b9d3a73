// Prints the subgraph's schema to schema.graphql; with --check, fails if the file is stale.
import { fileURLToPath } from 'node:url';
import { printSubgraphSdl, writeOrCheckSchemaFile } from '@sp/runtime/subgraph';
import { referralSchema } from './schema/index';

const file = fileURLToPath(new URL('../schema.graphql', import.meta.url));
const outcome = await writeOrCheckSchemaFile(file, printSubgraphSdl(referralSchema), process.argv.includes('--check'));
console.log(`schema.graphql ${outcome}`);
