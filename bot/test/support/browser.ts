import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Debian's chromium, headless, driven by playwright-core (whose own browser download is never
 * used: this machine has no network but the npm registry). `.ci/run` installs chromium when it is
 * missing; without it the browser tests fail with a message saying so, unless
 * SKIP_BROWSER_TESTS=1 says to skip them.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SKIP_BROWSER_TESTS = process.env.SKIP_BROWSER_TESTS === '1';

export function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `The browser tests need Chromium at ${CHROMIUM_PATH}. Install it with \`apt-get install -y chromium\` ` +
        '(.ci/run does), point CHROMIUM_PATH at another Chromium, or set SKIP_BROWSER_TESTS=1 to skip these tests.',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

const require = createRequire(import.meta.url);
const axeSource = (require('axe-core') as { source: string }).source;

/** The WCAG 2.2 level A and AA rules axe-core has. */
export const WCAG_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core in the page for the WCAG A and AA rules and returns the violations (rule,
 * and the elements that break it). axe is evaluated through the DevTools protocol, which the
 * page's Content-Security-Policy (scripts from 'self' only) does not apply to.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async (tags) => {
    type Result = { id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> };
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: Result[]; passes: Result[] }> } }).axe;
    const results = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    // A run that checked nothing would pass vacuously.
    if (results.passes.length < 10) throw new Error(`axe-core checked only ${results.passes.length} rules`);
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.map((node) => node.target.join(' ')),
    }));
  }, WCAG_AA_TAGS);
}
