// The fault-injection page against a real Letterbox: a rule created in the UI makes SMTP fail for
// its run, and deleting it in the UI lifts it.
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newContext } from './browser';
import { baseUrl, send } from './mail';

const UI_TIMEOUT_MS = 10_000;

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  page = await (await newContext(browser, baseUrl())).newPage();
});
afterAll(async () => {
  await browser?.close();
});

describe('fault rules page', () => {
  it('creates a rule that rejects a run at RCPT TO, lists it, and deletes it', async () => {
    const run = `e2e-${randomBytes(4).toString('hex')}`;
    await page.goto('/fault-rules');
    await page.getByRole('heading', { name: 'Fault injection' }).waitFor({ timeout: UI_TIMEOUT_MS });
    await page.getByLabel('Stage').selectOption('rcpt_to');
    await page.getByLabel('Run').fill(run);
    await page.getByLabel('Code').fill('550');
    await page.getByLabel('Message').fill('No such user here');
    await page.getByRole('button', { name: 'Add rule' }).click();
    const row = page.locator('tr', { hasText: `run ${run}` });
    await row.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await row.textContent()).toContain('RCPT TO, run ' + run + ': answer 550 5.1.1 No such user here');

    await expect(send({ to: `someone+run-${run}@e2e.test`, subject: 'rejected', text: 'x' })).rejects.toMatchObject({ responseCode: 550 });

    await row.getByRole('button', { name: /Delete rule/ }).click();
    await row.waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
    await send({ to: `someone+run-${run}@e2e.test`, subject: 'accepted', text: 'x' });
  });

  it('is linked from the top bar', async () => {
    await page.goto('/settings');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Faults' }).click();
    await page.getByRole('heading', { name: 'Fault injection' }).waitFor({ timeout: UI_TIMEOUT_MS });
  });
});
