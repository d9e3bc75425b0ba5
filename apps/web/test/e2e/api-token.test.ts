// A Letterbox started with --api-token: the UI asks for the token, then works (pages, live
// updates, read state, preview, downloads) with it; without it, no mail is shown.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newContext } from './browser';
import { startLetterboxProcess, type LetterboxProcess } from './letterbox-process';
import { send } from './mail';

const TOKEN = 'e2e-secret-token';
const ARRIVAL_TIMEOUT_MS = 10_000;

let letterbox: LetterboxProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  letterbox = await startLetterboxProcess({ extraArgs: ['--api-token', TOKEN] });
  browser = await launchChromium();
  page = await (await newContext(browser, letterbox.baseUrl)).newPage();
});
afterAll(async () => {
  await browser?.close();
  await letterbox?.stop();
});

describe('with an API token', () => {
  it('asks for the token, then shows the empty state naming the SMTP endpoint', async () => {
    await page.goto('/');
    await page.getByRole('heading', { name: 'API token required' }).waitFor();
    await page.getByLabel('API token').fill(TOKEN);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('No mail yet.').waitFor();
    expect(await page.locator('.empty code').textContent()).toBe(`localhost:${letterbox.smtpPort}`);
    await page.context().clearCookies();
  });

  it('shows no mail without the token', async () => {
    await send({ to: 'secret@e2e.test', subject: 'Secret subject', html: '<h1 id="secret">Secret body</h1>' }, letterbox.smtpPort);
    await page.goto('/');
    await page.getByRole('heading', { name: 'API token required' }).waitFor();
    expect(await page.content()).not.toContain('Secret subject');
    await page.goto('/messages/1');
    expect(await page.content()).not.toContain('Secret subject');
  });

  it('works with the token: list, live updates, read state and preview', async () => {
    await page.goto('/');
    await page.getByLabel('API token').fill('wrong');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('The token in use was refused.').waitFor();
    await page.getByLabel('API token').fill(TOKEN);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('ul.messages li', { hasText: 'Secret subject' }).waitFor();
    await page.getByText('Live', { exact: true }).waitFor({ timeout: ARRIVAL_TIMEOUT_MS });
    await send({ to: 'secret@e2e.test', subject: 'Second secret', text: 'x' }, letterbox.smtpPort);
    await page.locator('ul.messages li', { hasText: 'Second secret' }).waitFor({ timeout: ARRIVAL_TIMEOUT_MS });

    await page.locator('ul.messages li', { hasText: 'Secret subject' }).locator('a').click();
    await page.getByRole('button', { name: 'Mark unread' }).click();
    await page.getByRole('button', { name: 'Mark read' }).waitFor();
    const frame = page.frameLocator('iframe[data-testid="preview-frame"]');
    await frame.locator('#secret').waitFor();
  });
});
