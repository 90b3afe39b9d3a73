import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

/**
 * The web adapter starts a heartbeat interval it never clears. If the server factory did not
 * clear it, a process that closed the bot would hang for ever; this one must exit by itself.
 */
it('a process that starts and closes the bot exits by itself', async () => {
  const script = fileURLToPath(new URL('./support/start-and-close.ts', import.meta.url));
  const tsx = createRequire(import.meta.url).resolve('tsx');
  const child = spawn(process.execPath, ['--import', tsx, script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const exit = await new Promise<number | string>((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve('still running after 15 s');
    }, 15_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code ?? 'killed');
    });
  });

  expect(output).toContain('closed after 2 replies');
  expect(exit).toBe(0);
}, 20_000);
