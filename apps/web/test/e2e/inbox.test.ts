// The inbox against a real Letterbox: live arrival, search and filters, keyboard, delete.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newContext, PHONE, screenshotPath } from './browser';
import { baseUrl, send, uniqueAddress } from './mail';

const ARRIVAL_TIMEOUT_MS = 10_000;

let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  context = await newContext(browser, baseUrl());
  page = await context.newPage();
});
afterAll(async () => {
  await browser?.close();
});

const rows = (p: Page = page) => p.locator('ul.messages > li');
/** Opens a search and waits for hydration (the live stream is open). */
const search = async (q: string) => {
  await page.goto(`/?q=${encodeURIComponent(q)}`);
  await page.getByText('Live', { exact: true }).waitFor({ timeout: ARRIVAL_TIMEOUT_MS });
};

describe('inbox', () => {
  it('shows a message sent by SMTP in the open inbox without a reload', async () => {
    const to = uniqueAddress('live');
    await search('');
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations.push(frame.url());
    });
    await send({ to, subject: 'Arrives live', text: 'Hello from the live test' });
    await page.locator('ul.messages li', { hasText: 'Arrives live' }).first().waitFor({ timeout: ARRIVAL_TIMEOUT_MS });
    expect(navigations).toEqual([]);
    const row = page.locator('ul.messages li', { hasText: 'Arrives live' }).first();
    await expect.poll(() => row.textContent()).toContain(to);
    expect(await row.textContent()).toContain('Hello from the live test');
    expect(await row.getAttribute('class')).toBe('unread');
  });

  it('filters by search terms and by the inbox sidebar', async () => {
    const alice = uniqueAddress('alice');
    const bob = uniqueAddress('bob');
    await send({ to: alice, subject: 'Invoice 42 for Alice', text: 'pay' });
    await send({ to: alice, subject: 'Newsletter for Alice', text: 'news', attachments: [{ filename: 'a.txt', content: 'x' }] });
    await send({ to: bob, subject: 'Invoice 43 for Bob', text: 'pay' });

    await search(`to:${alice}`);
    expect(await rows().count()).toBe(2);
    await search(`to:${alice} invoice`);
    expect(await rows().allTextContents()).toEqual([expect.stringContaining('Invoice 42 for Alice')]);
    await search(`to:${alice} -invoice`);
    expect(await rows().allTextContents()).toEqual([expect.stringContaining('Newsletter for Alice')]);
    await search(`to:${alice} has:attachment`);
    expect(await rows().count()).toBe(1);
    await search(`"Invoice 43 for" to:${bob}`);
    expect(await rows().count()).toBe(1);
    await page.goto('/?q=is:maybe');
    expect(await page.locator('.notice.error').textContent()).toContain('use is:unread or is:read');

    // The sidebar lists the address with its count; a click narrows the list to it.
    await page.goto('/');
    const link = page.locator('aside.sidebar a', { hasText: bob });
    expect(await link.textContent()).toContain('1');
    await link.click();
    await page.waitForURL(/q=to/);
    expect(await rows().count()).toBe(1);
    expect(await page.inputValue('#search')).toBe(`to:${bob}`);
  });

  it('moves with j/k, opens with Enter, focuses search with / and deletes with Delete', async () => {
    const to = uniqueAddress('keys');
    for (const n of [1, 2, 3]) await send({ to, subject: `Key message ${n}`, text: `n${n}` });
    await search(`to:${to}`);
    await expect.poll(() => rows().count()).toBe(3);
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    expect(await page.locator('ul.messages li[data-selected]').textContent()).toContain('Key message 2');
    await page.keyboard.press('Delete');
    await expect.poll(() => rows().count()).toBe(2);
    await search(`to:${to}`);
    expect(await rows().count()).toBe(2);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/messages\/\d+/);
    expect(await page.locator('h1').textContent()).toBe('Key message 3');
    await search('');
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('search');
  });

  it('deletes every message matching the search after confirmation', async () => {
    const doomed = uniqueAddress('doomed');
    const kept = uniqueAddress('kept');
    await send({ to: doomed, subject: 'Doomed one', text: '1' });
    await send({ to: doomed, subject: 'Doomed two', text: '2' });
    await send({ to: kept, subject: 'Kept', text: '3' });
    await search(`to:${doomed}`);
    await expect.poll(() => rows().count()).toBe(2);
    await page.getByRole('button', { name: 'Delete all matching…' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No messages match this search').waitFor();
    await search(`to:${kept}`);
    expect(await rows().count()).toBe(1);
  });

  it('marks a message unread again from the message view', async () => {
    const to = uniqueAddress('read');
    await send({ to, subject: 'Read me', text: 'x' });
    await search(`to:${to}`);
    await rows().first().locator('a').click();
    await page.getByRole('button', { name: 'Mark unread' }).click();
    await page.getByRole('button', { name: 'Mark read' }).waitFor();
    await search(`to:${to} is:unread`);
    expect(await rows().count()).toBe(1);
  });

  it('shows the empty state, the settings page and works at phone width', async () => {
    await search(`to:${uniqueAddress('nobody')}`);
    await page.getByText('No messages match this search').waitFor();
    await page.goto('/settings');
    expect(await page.locator('main').textContent()).toContain('nodemailer');
    expect(await page.getByRole('button', { name: /Copy the nodemailer snippet/ }).count()).toBe(1);
    const phone = await context.newPage();
    await phone.setViewportSize(PHONE);
    await phone.goto('/');
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await phone.screenshot({ path: screenshotPath('inbox-phone'), fullPage: true });
    await phone.close();
  });

  it('takes screenshots of the inbox in light and dark', async () => {
    for (const dark of [false, true]) {
      const themed = await newContext(browser, baseUrl(), { dark });
      const p = await themed.newPage();
      await p.goto('/');
      await rows(p).first().waitFor();
      const background = await p.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(background).toBe(dark ? 'rgb(15, 23, 42)' : 'rgb(255, 255, 255)');
      await p.screenshot({ path: screenshotPath(`inbox-${dark ? 'dark' : 'light'}`) });
      await themed.close();
    }
  });
});
