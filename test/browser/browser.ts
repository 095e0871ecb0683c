import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium (apt-get install chromium), or the one named by
 * PACTWATCH_CHROMIUM. jest.config.js runs the browser suites only when it exists.
 */
export const CHROMIUM = process.env.PACTWATCH_CHROMIUM || '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // root in a container has no user namespace for the sandbox; nothing here loads outside pages
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-extensions', '--no-first-run', '--mute-audio'],
  });
}

/** Screenshots for people to look at: kept out of git (.gitignore). */
export const SHOTS = path.resolve(__dirname, '..', '..', 'test-output', 'screenshots');
/** The README's pictures, written only when asked (PACTWATCH_README_SCREENSHOTS=1). */
export const README_SHOTS = path.resolve(__dirname, '..', '..', 'docs', 'screenshots');

export function shotPath(name: string): string {
  if (!existsSync(SHOTS)) mkdirSync(SHOTS, { recursive: true });
  return path.join(SHOTS, `${name}.png`);
}

/** Retries a check (a jest expectation) until it passes or the time is up; the page works asynchronously. */
export async function eventually(check: () => Promise<unknown>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
