// The message view against a real Letterbox: tabs, attachments, derived data, and the
// sandboxed HTML preview of a hostile message.
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newContext, PHONE, screenshotPath } from './browser';
import { hostileHtml } from './hostile-html';
import { baseUrl, latestId, send, uniqueAddress } from './mail';
import { PIXEL_PNG, startTrapServer, type TrapServer } from './trap-server';

/** Long enough for a meta refresh, a timer or a lazy load to have fired. */
const SETTLE_MS = 1_500;

let browser: Browser;
let context: BrowserContext;
let page: Page;
let trap: TrapServer;

beforeAll(async () => {
  trap = await startTrapServer();
  browser = await launchChromium();
  context = await newContext(browser, baseUrl());
  page = await context.newPage();
});
afterAll(async () => {
  await browser?.close();
  await trap?.close();
});

async function previewFrame(p: Page = page): Promise<Frame> {
  const handle = await p.locator('iframe[data-testid="preview-frame"]').elementHandle();
  const frame = await handle!.contentFrame();
  await frame!.waitForLoadState('load');
  return frame!;
}

describe('message view', () => {
  it('shows the text, headers, source, MIME structure, attachments, links and codes', async () => {
    const to = uniqueAddress('tabs');
    await send({
      to,
      subject: 'Your code is 482913',
      text: 'Hello! Your code is 482913. Verify at https://app.test/verify?t=abc',
      html: '<p>Hello! <a href="https://app.test/verify?t=abc">Verify your email</a></p>',
      attachments: [{ filename: 'report.pdf', content: Buffer.from('%PDF-1.4 fake report'), contentType: 'application/pdf' }],
    });
    const id = await latestId(to);

    await page.goto(`/messages/${id}?tab=text`);
    expect(await page.getByTestId('text-body').textContent()).toContain('Your code is 482913');
    const panel = page.getByRole('complementary', { name: 'Found in this message' });
    expect(await panel.textContent()).toContain('482913');
    expect(await panel.getByRole('link', { name: 'https://app.test/verify?t=abc' }).count()).toBeGreaterThan(0);

    await page.getByRole('link', { name: 'Headers' }).click();
    await page.waitForURL(/tab=headers/);
    expect(await page.locator('table').first().textContent()).toContain(to);

    await page.getByRole('link', { name: 'Source' }).click();
    await page.waitForURL(/tab=source/);
    expect(await page.getByTestId('source').textContent()).toMatch(/Content-Type: multipart\/mixed/i);
    const [eml] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /Download \.eml/ }).click()]);
    expect((await readFile((await eml.path())!, 'utf8'))).toContain('Subject: Your code is 482913');

    await page.getByRole('link', { name: 'MIME structure' }).click();
    await page.waitForURL(/tab=structure/);
    const tree = await page.getByTestId('mime-tree').textContent();
    for (const type of ['multipart/mixed', 'multipart/alternative', 'text/plain', 'text/html', 'application/pdf']) expect(tree).toContain(type);
    expect(tree).toContain('base64');

    await page.getByRole('link', { name: /Attachments/ }).click();
    await page.waitForURL(/tab=attachments/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'report.pdf' }).click()]);
    expect(download.suggestedFilename()).toBe('report.pdf');
    expect(await readFile((await download.path())!, 'utf8')).toBe('%PDF-1.4 fake report');
  });

  it('keeps a hostile HTML message in its box: no script, no remote request, no top navigation', async () => {
    const to = uniqueAddress('hostile');
    await send({
      to,
      subject: 'Hostile HTML',
      html: hostileHtml(trap.origin),
      attachments: [{ filename: 'logo.png', content: PIXEL_PNG, contentType: 'image/png', cid: 'logo@e2e.test' }],
    });
    const id = await latestId(to);
    // Chromium may start a request (its preload scanner) that CSP then blocks: every request to
    // another host must fail as blocked, and none may complete.
    const isOutside = (url: string) => !url.startsWith(baseUrl()) && !url.startsWith('data:');
    const completed: string[] = [];
    const failures = new Set<string>();
    page.on('requestfinished', (request) => {
      if (isOutside(request.url())) completed.push(request.url());
    });
    page.on('requestfailed', (request) => {
      if (isOutside(request.url())) failures.add(request.failure()?.errorText ?? 'unknown');
    });
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const popups: string[] = [];
    page.on('popup', (popup) => popups.push(popup.url()));

    const messageUrl = `${baseUrl()}/messages/${id}`;
    await page.goto(messageUrl);
    const frame = await previewFrame();
    await frame.locator('#hostile').waitFor();
    // The frame is sandboxed with nothing allowed.
    expect(await page.locator('iframe[data-testid="preview-frame"]').getAttribute('sandbox')).toBe('');

    // Try the links and the form as a user would, from the keyboard (the message's fixed
    // full-frame div swallows pointer clicks inside the frame, as it intends).
    for (const target of ['#js-link', '#top-link', '#blank-link', '#submit']) {
      await frame.locator(target).focus();
      await page.keyboard.press('Enter');
    }
    await page.waitForTimeout(SETTLE_MS);

    expect(page.url()).toBe(messageUrl);
    expect(await page.title()).not.toBe('pwned');
    expect(await frame.locator('[data-pwned]').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(popups).toEqual([]);
    expect(trap.hits).toEqual([]);
    expect(completed).toEqual([]);
    expect([...failures].filter((reason) => reason !== 'csp')).toEqual([]);

    // cid: resolved through the API; the remote image is blocked.
    const inline = frame.locator('#inline');
    expect(await inline.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await inline.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);
    expect(await frame.locator('#remote').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(0);

    // CSS inside the frame cannot cover the page: the page's own buttons still work.
    await page.getByRole('button', { name: 'Mark unread' }).click();
    await page.getByRole('button', { name: 'Mark read' }).waitFor();

    // Opened directly, the preview carries its own sandbox and CSP.
    const direct = await fetch(`${baseUrl()}/messages/${id}/preview?remote=0`);
    expect(direct.headers.get('content-security-policy')).toMatch(/^sandbox; default-src 'none'/);
    expect(direct.headers.get('referrer-policy')).toBe('no-referrer');
    // The UI's own pages cannot be framed by another site (their buttons delete mail).
    expect((await fetch(messageUrl)).headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(await direct.text()).not.toContain('http-equiv="refresh"');

    // The visible toggle loads remote content (and only then does the trap see requests).
    await page.getByRole('button', { name: 'Load remote content' }).click();
    const remoteFrame = await previewFrame();
    await remoteFrame.locator('#hostile').waitFor();
    await expect.poll(() => trap.hits, { timeout: 5_000 }).toContain('/pixel.png');
    expect(trap.hits.filter((hit) => /script|onerror|form|top-link|meta-refresh|nested-frame|object/.test(hit))).toEqual([]);
    expect(page.url()).toBe(messageUrl);
  });

  it('previews at device widths and in dark mode, with screenshots in light and dark', async () => {
    const to = uniqueAddress('devices');
    await send({
      to,
      subject: 'Responsive newsletter',
      html: '<style>body{background:#fff;color:#000} @media (prefers-color-scheme: dark){body{background:#000;color:#fff}}</style><h1>Newsletter</h1><p>Some text that wraps at phone width.</p>',
      text: 'Newsletter',
    });
    const id = await latestId(to);
    await page.goto(`/messages/${id}`);
    await (await previewFrame()).locator('h1').waitFor();
    await page.getByRole('button', { name: /Phone 375px/ }).click();
    expect(await page.locator('iframe[data-testid="preview-frame"]').evaluate((f) => f.getBoundingClientRect().width)).toBe(375);
    await page.getByRole('button', { name: 'Dark mode preview' }).click();
    const dark = await previewFrame();
    await dark.locator('h1').waitFor();
    expect(await dark.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor)).toBe('rgb(0, 0, 0)');
    await page.getByRole('button', { name: /Desktop/ }).click();

    const phone = await newContext(browser, baseUrl(), { viewport: PHONE });
    const onPhone = await phone.newPage();
    await onPhone.goto(`/messages/${id}`);
    await (await previewFrame(onPhone)).locator('h1').waitFor();
    expect(await onPhone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await onPhone.screenshot({ path: screenshotPath('message-phone'), fullPage: true });
    await phone.close();

    for (const scheme of ['light', 'dark'] as const) {
      const themed = await newContext(browser, baseUrl(), { dark: scheme === 'dark' });
      const p = await themed.newPage();
      await p.goto(`/messages/${id}`);
      await (await previewFrame(p)).locator('h1').waitFor();
      await p.screenshot({ path: screenshotPath(`message-${scheme}`) });
      await themed.close();
    }
  });

  it('shows a not-found page for a deleted message', async () => {
    const to = uniqueAddress('gone');
    await send({ to, subject: 'Soon gone', text: 'bye' });
    const id = await latestId(to);
    await page.goto(`/messages/${id}`);
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL(`${baseUrl()}/`);
    await page.goto(`/messages/${id}`);
    expect(await page.locator('main').textContent()).toContain('deleted, or never existed');
  });
});
