// Writes each target's schema.prisma from the shared models (with --sync), then generates the
// Prisma clients and Pothos types for every subgraph and database. Runs offline.
import { spawn } from 'node:child_process';
import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { allTargets, PRISMA_PACKAGE_DIR } from '../src/targets';
import { renderSchema } from '../src/schema-files';

const sync = process.argv.includes('--sync');

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: PRISMA_PACKAGE_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed:\n${output}`)),
    );
  });
}

const targets = allTargets();
if (sync) {
  for (const target of targets) {
    await mkdir(target.dir, { recursive: true });
    await writeFile(target.schemaFile, await renderSchema(target));
  }
}
const prismaCli = path.join(PRISMA_PACKAGE_DIR, 'node_modules', '.bin', 'prisma');
const cli = (await import('node:fs')).existsSync(prismaCli)
  ? prismaCli
  : path.join(PRISMA_PACKAGE_DIR, '..', 'node_modules', '.bin', 'prisma');
await Promise.all(targets.map((target) => run(cli, ['generate', '--config', target.configFile])));
console.log(`Generated Prisma clients for ${targets.length} targets.`);
