import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium package; playwright-core drives it (no browser download). */
export const CHROMIUM_PATH = process.env.LEAKGATE_CHROMIUM ?? '/usr/bin/chromium';

/** Whether the browser tests can run here. */
export const hasChromium = existsSync(CHROMIUM_PATH);

/** Why the browser tests are skipped, for the test title. */
export const CHROMIUM_SKIP_REASON = `skipped: Debian chromium not installed at ${CHROMIUM_PATH} (apt-get install chromium)`;

/** Headless Chromium with background networking off; playwright gives it a throwaway profile (--user-data-dir). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
