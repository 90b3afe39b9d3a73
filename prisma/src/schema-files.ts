import { readFile } from 'node:fs/promises';
import type { Target } from './targets';

const HEADER_NOTE = '// Generated from ../../../models/{model}.prisma by `npm run generate -w @sp/prisma`. Edit the models file, not this one.';

/**
 * The full schema for one target: its datasource and generators, then the shared models.
 * SQLite and PostgreSQL share one set of models, so only the common subset of Prisma is used
 * (no @db types, no scalar lists, no case-insensitive mode).
 */
export async function renderSchema(target: Target): Promise<string> {
  const models = await readFile(target.modelsFile, 'utf8');
  const generators = [
    `generator client {`,
    `  provider     = "prisma-client"`,
    `  output       = "../../../generated/${target.subgraph}-${target.kind}"`,
    `  runtime      = "nodejs"`,
    `  moduleFormat = "esm"`,
    `}`,
  ];
  if (target.kind === 'sqlite') {
    // Pothos types come from one client; both clients have the same shape.
    generators.push(
      ``,
      `generator pothos {`,
      `  provider     = "prisma-pothos-types"`,
      `  clientOutput = "./${target.subgraph}-sqlite"`,
      `  output       = "../../../generated/${target.subgraph}-pothos-types.ts"`,
      `}`,
    );
  }
  return [
    HEADER_NOTE.replace('{model}', target.subgraph),
    ``,
    `datasource db {`,
    `  provider = "${target.kind}"`,
    `}`,
    ``,
    ...generators,
    ``,
    models.trimEnd(),
    ``,
  ].join('\n');
}
