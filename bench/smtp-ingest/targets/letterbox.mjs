// Target (c): Letterbox itself, started the way `pnpm start` starts it (apps/server/scripts/start.mjs:
// the server bundled into plain JavaScript, rebuilt first if the sources changed) in its default
// configuration: embedded PostgreSQL in a fresh temporary data directory, every port chosen free
// on loopback. Its PostgreSQL processes are the server's descendants, so
// they share the server's CPU pinning; their memory is reported separately from Node's.
// With `pgStats` (profile mode) it runs on the DATABASE_URL path instead, against a PostgreSQL of
// the same version and settings started by the bench with pg_stat_statements loaded.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, WORK_DIR, importFromServer } from '../lib/deps.mjs';
import { descendants, freePort, memoryOf, spawnServer, stopChild, waitForSmtp } from '../lib/proc.mjs';
import { startBenchPostgres } from '../lib/bench-postgres.mjs';

const START = join(REPO_ROOT, 'apps', 'server', 'scripts', 'start.mjs');
const START_TIMEOUT_MS = 180_000;
const STOP_GRACE_MS = 60_000;
// Letterbox's embedded PostgreSQL superuser and database (apps/server/src/db/embedded-postgres.ts).
const EMBEDDED_USER = 'postgres';
const EMBEDDED_PASSWORD = 'letterbox';
const EMBEDDED_DATABASE = 'letterbox';
const PARSE_POLL_MS = 500;
const PARSE_WAIT_MS = 120_000;

let runCounter = 0;

export async function startLetterbox({ cpus, nodeArgs = [], env = {}, logFile, logLevel = 'warn', pgStats = false, loadTestMode = false }) {
  runCounter += 1;
  const dataDir = join(WORK_DIR, `letterbox-data-${process.pid}-${runCounter}`);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const ports = {};
  for (const name of ['smtp', 'http', 'imap', 'imaps', 'pg']) ports[name] = await freePort();
  const args = [...nodeArgs, START,
    '--host', '127.0.0.1',
    '--smtp-port', String(ports.smtp), '--http-port', String(ports.http),
    '--imap-port', String(ports.imap), '--imaps-port', String(ports.imaps),
    '--data-dir', dataDir, '--log-level', logLevel,
    // Off is the default; on skips the background MIME parse (parsed on first API read).
    '--load-test-mode', loadTestMode ? 'on' : 'off'];
  const benchPg = pgStats ? await startBenchPostgres({ cpus }) : null;
  if (benchPg) args.push('--database-url', benchPg.url);
  else args.push('--embedded-postgres-port', String(ports.pg));
  const child = spawnServer(process.execPath, args, { cpus, cwd: REPO_ROOT, env: { ...env, DATABASE_URL: '' }, logFile });
  const postgresPids = benchPg ? benchPg.pids : () => descendants(child.pid).filter((p) => memoryOf(p)?.name === 'postgres');
  const stop = async () => {
    await stopAll(child, benchPg ? [] : postgresPids());
    await benchPg?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForSmtp(ports.smtp, { child, timeoutMs: START_TIMEOUT_MS });
  } catch (err) {
    await stop();
    throw err;
  }
  const databaseUrl = benchPg?.url ?? `postgresql://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${ports.pg}/${EMBEDDED_DATABASE}`;
  return {
    name: loadTestMode ? 'Letterbox --load-test-mode' : 'Letterbox',
    pid: child.pid,
    port: ports.smtp,
    dbPids: postgresPids,
    databaseUrl,
    storedRecipients: () => queryRecipients(databaseUrl),
    parseBacklog: loadTestMode ? null : () => waitForParsing(databaseUrl),
    dbStats: benchPg ? { reset: benchPg.resetStats, read: benchPg.readStats } : null,
    stop,
  };
}

/** Graceful stop; then make sure no PostgreSQL process of this run outlives it. */
async function stopAll(child, pgPids) {
  await stopChild(child, { graceMs: STOP_GRACE_MS });
  for (const pid of pgPids) {
    if (!memoryOf(pid)) continue;
    console.error(`stray postgres ${pid} after Letterbox stopped; killing it`);
    try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  }
}

/** One entry per stored message per envelope recipient, from the messages table. */
async function queryRecipients(databaseUrl) {
  const pg = await importFromServer('pg');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const column = await rcptColumn(client);
    const res = await client.query({ text: `SELECT unnest("${column}") AS r FROM messages`, rowMode: 'array' });
    return res.rows.map((row) => row[0]);
  } finally {
    await client.end();
  }
}

/** The schema names it rcpt_to (or rcptTo, if unmapped); ask the catalogue rather than guess. */
async function rcptColumn(client) {
  const res = await client.query(
    `SELECT column_name FROM information_schema.columns
     WHERE table_name = 'messages' AND column_name IN ('rcpt_to', 'rcptTo')`);
  if (res.rows.length === 0) throw new Error('messages table has no rcpt_to column');
  return res.rows[0].column_name;
}

/**
 * Letterbox acknowledges before parsing MIME (parsing runs in the background): how many messages
 * were still unparsed when the load ended, and how long the backlog took to drain (up to a limit).
 */
async function waitForParsing(databaseUrl) {
  const pg = await importFromServer('pg');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const started = Date.now();
  try {
    const pending = async () => Number((await client.query(
      `SELECT count(*) AS n FROM messages WHERE "parseState" = 'pending'`)).rows[0].n);
    const atEnd = await pending();
    let left = atEnd;
    while (left > 0 && Date.now() - started < PARSE_WAIT_MS) {
      await new Promise((r) => setTimeout(r, PARSE_POLL_MS));
      left = await pending();
    }
    return { pendingAtEnd: atEnd, pendingAfterWait: left, waitedSeconds: (Date.now() - started) / 1000 };
  } finally {
    await client.end();
  }
}
