/**
 * HTTP API benchmark, against a Letterbox server process with a fresh embedded PostgreSQL:
 *   1. wait wake-up: for each of N messages, open GET /api/v1/messages/wait for its recipient,
 *      give the server WAIT_REGISTER_MS to register it, send the message over SMTP (one pooled
 *      nodemailer connection) and time from the SMTP 250 to the wait's HTTP response; twice, with
 *      `recipient=` (envelope filter, no parse) and with `to=&subject=` (header filters: the
 *      waiter parses the pending message on demand);
 *   2. the server's RSS with W idle waiters open (each on its own recipient);
 *   3. list latency with M stored messages (bulk-inserted in SQL): first page, a page filtered by
 *      run (indexed), by To address (1 in 1,000 messages, and one in none; GIN index), by a
 *      subject word in no message (a full scan) and the 100th page by cursor.
 *
 *   pnpm exec tsx bench/api/run.ts [--messages 1000] [--waiters 1000] [--stored 1000000] [--requests 200]
 *
 * Raw results go to bench/.work/api/results-<timestamp>.json; a Markdown summary is printed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { bulkInsert, RECIPIENTS, RUNS } from './bulk-insert.ts';
import { nodemailer, pg } from './deps.ts';
import { startServer, WORK_DIR, type BenchServer } from './server.ts';
import { rssMiB, summarize, type Summary } from './stats.ts';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(args[i + 1]);
};
const MESSAGES = opt('messages', 1_000);
const WAITERS = opt('waiters', 1_000);
const STORED = opt('stored', 1_000_000);
const REQUESTS = opt('requests', 200);
/** Time a wait request gets to reach the server and register before its message is sent. */
const WAIT_REGISTER_MS = 20;
/** Idle waiters get this long to register before RSS is read. */
const WAITERS_SETTLE_MS = 3_000;
const WARMUP_REQUESTS = 20;
const log = (line: string) => process.stderr.write(line + '\n');

async function waitLatency(server: BenchServer, kind: 'recipient' | 'to+subject'): Promise<Summary> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: server.smtpPort, secure: false, ignoreTLS: true, pool: true, maxConnections: 1 });
  const samples: number[] = [];
  for (let i = 0; i < MESSAGES; i++) {
    const to = `w${kind === 'recipient' ? 'r' : 't'}${i}@bench.test`;
    const subject = `Wake ${kind} ${i}`;
    const query = kind === 'recipient' ? `recipient=${to}` : `to=${to}&subject=${encodeURIComponent(subject)}`;
    let answered = 0;
    const wait = fetch(`${server.baseUrl}/api/v1/messages/wait?${query}&timeout=10000`).then(async (r) => {
      answered = performance.now();
      if (r.status !== 200) throw new Error(`wait answered ${r.status}: ${await r.text()}`);
      await r.arrayBuffer();
    });
    await sleep(WAIT_REGISTER_MS);
    await transport.sendMail({ from: 'bench@bench.test', to, subject, text: 'wake up' });
    const acknowledged = performance.now();
    await wait;
    samples.push(answered - acknowledged);
  }
  transport.close();
  return summarize(samples);
}

async function idleWaitersRss(server: BenchServer): Promise<{ before: number; with: number; perWaiterKiB: number }> {
  const before = await rssMiB(server.pid);
  const controller = new AbortController();
  const open = Array.from({ length: WAITERS }, (_, i) =>
    fetch(`${server.baseUrl}/api/v1/messages/wait?recipient=idle${i}@bench.test&timeout=120000`, { signal: controller.signal }).catch(() => null),
  );
  await sleep(WAITERS_SETTLE_MS);
  const withWaiters = await rssMiB(server.pid);
  controller.abort();
  await Promise.all(open);
  return { before, with: withWaiters, perWaiterKiB: Math.round(((withWaiters - before) * 1024) / WAITERS) };
}

async function listLatency(server: BenchServer, path: string, expectEmpty = false): Promise<Summary> {
  const samples: number[] = [];
  for (let i = 0; i < WARMUP_REQUESTS + REQUESTS; i++) {
    const started = performance.now();
    const response = await fetch(server.baseUrl + path);
    const body = (await response.json()) as { messages?: unknown[] };
    if (response.status !== 200 || !body.messages || (body.messages.length === 0) !== expectEmpty) throw new Error(`${path}: ${response.status} ${JSON.stringify(body).slice(0, 200)}`);
    if (i >= WARMUP_REQUESTS) samples.push(performance.now() - started);
  }
  return summarize(samples);
}

async function cursorOfPage(server: BenchServer, page: number): Promise<string> {
  let cursor = '';
  for (let i = 1; i < page; i++) {
    const body = (await (await fetch(`${server.baseUrl}/api/v1/messages?limit=50${cursor ? `&cursor=${cursor}` : ''}`)).json()) as { nextCursor: string };
    cursor = body.nextCursor;
  }
  return cursor;
}

mkdirSync(WORK_DIR, { recursive: true });
const machine = { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, loadBefore: loadavg() };
log(`starting Letterbox (fresh embedded PostgreSQL under ${WORK_DIR})`);
const server = await startServer(['--api-max-wait', '5m']);
const results: Record<string, unknown> = { machine, messages: MESSAGES, waiters: WAITERS, stored: STORED, requests: REQUESTS };
try {
  log(`wait wake-up, ${MESSAGES} messages, recipient filter`);
  results.waitRecipient = await waitLatency(server, 'recipient');
  log(`wait wake-up, ${MESSAGES} messages, to + subject filters`);
  results.waitToSubject = await waitLatency(server, 'to+subject');
  log(`RSS with ${WAITERS} idle waiters`);
  results.idleWaiters = await idleWaitersRss(server);

  const pool = new pg.Pool({ connectionString: server.databaseUrl, max: 2 });
  log(`bulk-inserting ${STORED.toLocaleString('en')} messages`);
  const insertStarted = Date.now();
  await bulkInsert(pool, STORED, log);
  results.insertSeconds = Math.round((Date.now() - insertStarted) / 100) / 10;
  results.storedTotal = Number((await pool.query('SELECT count(*) FROM messages')).rows[0].count);
  await pool.end();

  const page100 = await cursorOfPage(server, 100);
  const lists: Record<string, string> = {
    'first page (no filter)': '/api/v1/messages?limit=50',
    [`run filter (1 of ${RUNS} runs, indexed)`]: '/api/v1/messages?limit=50&run=run-7',
    [`to filter (1 of ${RECIPIENTS} addresses, GIN index)`]: '/api/v1/messages?limit=50&to=u7@bench.test',
    'to filter, address in no message (empty page)': '/api/v1/messages?limit=50&to=nobody@bench.test',
    'subject contains a word in no message (not indexed: full scan)': '/api/v1/messages?limit=50&subject=no-such-word',
    '100th page by cursor': `/api/v1/messages?limit=50&cursor=${page100}`,
  };
  const listResults: Record<string, Summary> = {};
  for (const [name, path] of Object.entries(lists)) {
    log(`list: ${name}`);
    listResults[name] = await listLatency(server, path, path.includes('nobody@') || path.includes('no-such-word'));
  }
  results.list = listResults;
  results.loadAfter = loadavg();
} finally {
  await server.stop();
}

const file = join(WORK_DIR, `results-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify(results, null, 2));
const row = (name: string, s: Summary) => `| ${name} | ${s.n} | ${s.p50} | ${s.p99} | ${s.max} |`;
const waitRecipient = results.waitRecipient as Summary;
const waitToSubject = results.waitToSubject as Summary;
const idle = results.idleWaiters as { before: number; with: number; perWaiterKiB: number };
console.log(
  [
    '| measurement | n | p50 ms | p99 ms | max ms |',
    '| --- | --- | --- | --- | --- |',
    row('wait wake-up, SMTP 250 -> wait response (`recipient=`)', waitRecipient),
    row('wait wake-up, SMTP 250 -> wait response (`to=` + `subject=`, parse on demand)', waitToSubject),
    ...Object.entries(listResults(results)).map(([name, s]) => row(`list at ${Number(results.storedTotal).toLocaleString('en')} messages: ${name}`, s)),
    '',
    `Server RSS: ${idle.before} MiB idle, ${idle.with} MiB with ${WAITERS} open waits (~${idle.perWaiterKiB} KiB per wait). ` +
      `Bulk insert of ${STORED.toLocaleString('en')} rows: ${results.insertSeconds} s. Raw results: ${file}`,
  ].join('\n'),
);

function listResults(r: Record<string, unknown>): Record<string, Summary> {
  return r.list as Record<string, Summary>;
}
