// Debian's Chromium driven by playwright-core (Playwright downloads no browser here).
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
/** Screenshots kept as test artefacts (gitignored). */
export const ARTIFACTS_DIR = new URL('../../test-artifacts/', import.meta.url).pathname;
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 375, height: 740 };

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

export async function newContext(browser: Browser, baseURL: string, options: { dark?: boolean; viewport?: { width: number; height: number } } = {}): Promise<BrowserContext> {
  return browser.newContext({
    baseURL,
    viewport: options.viewport ?? DESKTOP,
    colorScheme: options.dark ? 'dark' : 'light',
    acceptDownloads: true,
  });
}

export function screenshotPath(name: string): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return `${ARTIFACTS_DIR}${name}.png`;
}
