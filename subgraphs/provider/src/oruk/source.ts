import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ImportInputError } from './import';

export interface ReadSourceOptions {
  /** Where a relative file path starts from. */
  cwd: string;
  /** How long a URL may take to answer in full. Default 60 s. */
  timeoutMs?: number;
}

/** Reads the JSON of an import: a file path, or an http(s) URL such as a feed's /services page. */
export async function readOrukSource(source: string, { cwd, timeoutMs = 60_000 }: ReadSourceOptions): Promise<unknown> {
  let text: string;
  if (/^https?:\/\//i.test(source)) {
    let response: Response;
    try {
      response = await fetch(source, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      const reason = error instanceof DOMException && error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : 'it could not be reached';
      throw new ImportInputError(`Cannot read ${source}: ${reason}.`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new ImportInputError(`Cannot read ${source}: it answered HTTP ${response.status}.`);
    }
    text = await response.text();
  } else {
    const file = path.resolve(cwd, source);
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new ImportInputError(`Cannot read ${file}: ${code === 'ENOENT' ? 'there is no such file' : String(code ?? error)}.`);
    }
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ImportInputError(`${source} is not valid JSON: ${(error as Error).message}`);
  }
}
