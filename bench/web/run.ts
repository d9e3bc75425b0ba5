/**
 * Web UI benchmark: with N stored messages (default 1,000,000, bulk-inserted in SQL), how long
 * from navigation until
 *   - the inbox list is visible (first row rendered),
 *   - an inbox filtered by recipient is visible,
 *   - a message's HTML preview is visible (its heading rendered inside the sandboxed frame),
 *     for the newest message (sent over SMTP, with a cid: image) and for the oldest one;
 * p50/p90 over R loads each (default 20) in headless Debian Chromium, each load in a fresh browser
 * context (cold HTTP cache); plus the size of the inbox page's first response (the HTML document,
 * as sent with gzip and decoded) and its time to first byte.
 *
 *   pnpm exec tsx bench/web/run.ts [--stored 1000000] [--loads 20] [--fresh]
 *
 * The data directory (bench/.work/web/data) is kept between runs and refilled only when the
 * stored count differs or with --fresh. Raw results: bench/.work/web/results-<timestamp>.json.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { startLetterboxProcess, REPO_ROOT } from '../../apps/web/test/e2e/letterbox-process.ts';
import { bulkInsert } from '../api/bulk-insert.ts';
import { nodemailer, pg } from '../api/deps.ts';
import { chromium, CHROMIUM_ARGS, CHROMIUM_PATH, type Browser } from './browser.ts';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(args[i + 1]);
};
const STORED = opt('stored', 1_000_000);
const LOADS = opt('loads', 20);
const FRESH = args.includes('--fresh');
const WARMUP_LOADS = 2;
const WORK_DIR = join(REPO_ROOT, 'bench/.work/web');
const VISIBLE_TIMEOUT_MS = 30_000;
const PIXEL_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Summary { p50: number; p90: number; min: number; max: number }
function summarize(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p90: at(0.9), min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

async function timeLoads(browser: Browser, baseUrl: string, path: string, visible: (page: import('playwright-core').Page) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < WARMUP_LOADS + LOADS; i += 1) {
    const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const started = performance.now();
    await page.goto(path, { waitUntil: 'commit' });
    await visible(page);
    const elapsed = performance.now() - started;
    if (i >= WARMUP_LOADS) times.push(elapsed);
    await context.close();
  }
  return times;
}

function firstResponse(url: string): Promise<{ gzipBytes: number; ttfbMs: number; encoding: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let ttfb = 0;
    let bytes = 0;
    request(url, { headers: { 'accept-encoding': 'gzip', accept: 'text/html' } }, (res) => {
      res.once('data', () => (ttfb = performance.now() - started));
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ gzipBytes: bytes, ttfbMs: ttfb, encoding: String(res.headers['content-encoding'] ?? 'identity') }));
      res.on('error', reject);
    }).on('error', reject).end();
  });
}

async function main(): Promise<void> {
  const dataDir = join(WORK_DIR, 'data');
  if (FRESH) rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(WORK_DIR, { recursive: true, mode: 0o755 });
  log(`starting Letterbox (data in ${dataDir})`);
  let letterbox = await startLetterboxProcess({ dataDir });
  const pool = new pg.Pool({ connectionString: letterbox.databaseUrl, max: 2 });
  try {
    const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM messages WHERE "deletedAt" IS NULL');
    if (Number(rows[0]!.n) < STORED) {
      if (Number(rows[0]!.n) > 0) throw new Error(`data dir holds ${rows[0]!.n} messages, not ${STORED}: run with --fresh`);
      log(`bulk-inserting ${STORED.toLocaleString('en')} messages`);
      await bulkInsert(pool, STORED, log);
    }
    // The oldest message gets an HTML body, so the preview is also timed far from the newest.
    const oldest = (await pool.query<{ id: string }>('SELECT min(id)::text AS id FROM messages WHERE "deletedAt" IS NULL')).rows[0]!.id;
    await pool.query(`UPDATE messages SET html = '<h1 id="bench">Oldest message</h1><p>Hello</p>' WHERE id = $1`, [oldest]);
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: letterbox.smtpPort, secure: false, ignoreTLS: true });
    await transport.sendMail({
      from: 'bench@bench.test', to: 'preview@bench.test', subject: 'Preview benchmark',
      html: '<h1 id="bench">Newest message</h1><p>With an inline image <img src="cid:pixel@bench"></p>',
      text: 'Newest message', attachments: [{ filename: 'pixel.png', content: PIXEL_PNG, cid: 'pixel@bench' }],
    });
    transport.close();
    const newest = ((await (await fetch(`${letterbox.baseUrl}/api/v1/messages/latest?recipient=preview@bench.test`)).json()) as { id: string }).id;
    const count = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM messages WHERE "deletedAt" IS NULL')).rows[0]!.n);
    log(`${count.toLocaleString('en')} messages stored; newest ${newest}, oldest ${oldest}`);

    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
    try {
      const listVisible = (page: import('playwright-core').Page) => page.locator('ul.messages > li').first().waitFor({ timeout: VISIBLE_TIMEOUT_MS });
      const previewVisible = (page: import('playwright-core').Page) =>
        page.frameLocator('iframe[data-testid="preview-frame"]').locator('#bench').waitFor({ timeout: VISIBLE_TIMEOUT_MS });
      log('timing inbox loads');
      const inbox = await timeLoads(browser, letterbox.baseUrl, '/', listVisible);
      log('timing filtered inbox loads');
      const filtered = await timeLoads(browser, letterbox.baseUrl, `/?q=${encodeURIComponent('run:run-7')}`, listVisible);
      log('timing message preview loads (newest, oldest)');
      const newestPreview = await timeLoads(browser, letterbox.baseUrl, `/messages/${newest}`, previewVisible);
      const oldestPreview = await timeLoads(browser, letterbox.baseUrl, `/messages/${oldest}`, previewVisible);
      const document = await firstResponse(`${letterbox.baseUrl}/`);
      const decoded = Buffer.byteLength(await (await fetch(`${letterbox.baseUrl}/`)).text());
      const ttfbs: number[] = [];
      for (let i = 0; i < LOADS; i += 1) ttfbs.push((await firstResponse(`${letterbox.baseUrl}/`)).ttfbMs);
      const results = {
        stored: count,
        loads: LOADS,
        machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg(), node: process.version },
        inboxVisibleMs: summarize(inbox),
        filteredInboxVisibleMs: summarize(filtered),
        newestPreviewVisibleMs: summarize(newestPreview),
        oldestPreviewVisibleMs: summarize(oldestPreview),
        inboxDocument: { gzipBytes: document.gzipBytes, encoding: document.encoding, decodedBytes: decoded, ttfbMs: summarize(ttfbs) },
        raw: { inbox, filtered, newestPreview, oldestPreview, ttfbs },
      };
      const file = join(WORK_DIR, `results-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
      writeFileSync(file, JSON.stringify(results, null, 2));
      const row = (name: string, s: Summary) => `| ${name} | ${s.p50.toFixed(0)} | ${s.p90.toFixed(0)} | ${s.min.toFixed(0)} | ${s.max.toFixed(0)} |`;
      console.log([
        `Stored messages: ${count.toLocaleString('en')}; ${LOADS} loads each (after ${WARMUP_LOADS} warm-up), fresh browser context per load.`,
        '',
        '| navigation to … visible | p50 ms | p90 ms | min | max |',
        '| --- | --- | --- | --- | --- |',
        row('inbox list (first page)', results.inboxVisibleMs),
        row('inbox filtered by run: (1 in 1,000)', results.filteredInboxVisibleMs),
        row('HTML preview, newest message (cid: image)', results.newestPreviewVisibleMs),
        row('HTML preview, oldest message', results.oldestPreviewVisibleMs),
        '',
        `Inbox first response (the HTML document): ${document.gzipBytes.toLocaleString('en')} bytes sent (${document.encoding}), ` +
          `${decoded.toLocaleString('en')} bytes decoded; time to first byte p50 ${results.inboxDocument.ttfbMs.p50.toFixed(0)} ms.`,
        `Raw: ${file}`,
      ].join('\n'));
    } finally {
      await browser.close();
    }
  } finally {
    await pool.end();
    await letterbox.stop();
    letterbox = undefined as never;
  }
}

main().catch((error: Error) => {
  log(error.stack ?? error.message);
  process.exit(1);
});
