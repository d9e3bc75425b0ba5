// playwright-core and the Chromium settings of apps/web's e2e tests (bench/ has no package.json).
import { createRequire } from 'node:module';
import type * as playwright from 'playwright-core';

const require = createRequire(new URL('../../apps/web/package.json', import.meta.url));
export const { chromium } = require('playwright-core') as typeof playwright;
export type Browser = playwright.Browser;
export { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../apps/web/test/e2e/browser.ts';
