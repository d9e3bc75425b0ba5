// A PostgreSQL for profiling Letterbox through its DATABASE_URL path: the same PostgreSQL 18
// binaries and the same durability settings as Letterbox's embedded one
// (apps/server/src/db/embedded-postgres.ts), plus pg_stat_statements, so the profile can say
// how much PostgreSQL execution time and WAL each statement costs. Pinned to the server's CPU.
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { WORK_DIR, importFromServer } from './deps.mjs';
import { descendants, freePort, pinProcess } from './proc.mjs';

const USER = 'postgres';
const PASSWORD = 'bench';
const DATABASE = 'letterbox';
const SETTINGS = {
  listen_addresses: '127.0.0.1',
  unix_socket_directories: '',
  fsync: 'on',
  synchronous_commit: 'on',
  full_page_writes: 'on',
  max_connections: '200',
  max_wal_size: '256MB',
  shared_preload_libraries: 'pg_stat_statements',
  'pg_stat_statements.track': 'all',
};
const TOP_STATEMENTS = 15;

export async function startBenchPostgres({ cpus }) {
  const EmbeddedPostgres = await importFromServer('embedded-postgres');
  const port = await freePort();
  const dir = join(WORK_DIR, `bench-pg-${process.pid}-${port}`);
  const server = new EmbeddedPostgres({
    databaseDir: dir, port, user: USER, password: PASSWORD, authMethod: 'scram-sha-256',
    persistent: false, createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: Object.entries(SETTINGS).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    onLog: () => {}, onError: () => {},
  });
  await server.initialise();
  await server.start();
  const postmaster = server.process.pid;
  const pids = () => [postmaster, ...descendants(postmaster)];
  if (cpus != null) for (const pid of pids()) pinProcess(cpus, pid);
  const base = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}`;
  await sql(`${base}/postgres`, `CREATE DATABASE ${DATABASE}`);
  const url = `${base}/${DATABASE}`;
  await sql(url, 'CREATE EXTENSION pg_stat_statements');
  return {
    url,
    pids,
    resetStats: () => sql(url, 'SELECT pg_stat_statements_reset()'),
    readStats: () => readStatementStats(url),
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function sql(url, text) {
  const pg = await importFromServer('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

/**
 * Top statements by PostgreSQL execution time since the last reset. Execution time is wall time
 * inside PostgreSQL: on a core shared with the Node server it includes lock waits and time the
 * backend was descheduled, so read it as relative weight; /proc CPU time is the absolute figure.
 */
async function readStatementStats(url) {
  // Multi-row INSERTs have one entry per row count; statements are grouped by their first chars.
  const rows = await sql(url, `
    SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 70) AS statement, sum(calls)::int AS calls, sum(rows)::bigint AS rows,
           round(sum(total_exec_time)::numeric, 1)::float AS exec_ms, sum(wal_bytes)::bigint AS wal_bytes,
           sum(shared_blks_hit + shared_blks_read)::bigint AS blocks
      FROM pg_stat_statements
     WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
     GROUP BY 1
     ORDER BY exec_ms DESC`);
  const total = rows.reduce((s, r) => ({ execMs: s.execMs + r.exec_ms, walBytes: s.walBytes + Number(r.wal_bytes) }), { execMs: 0, walBytes: 0 });
  return { total, statements: rows.slice(0, TOP_STATEMENTS).map((r) => ({ ...r, wal_bytes: Number(r.wal_bytes), rows: Number(r.rows), blocks: Number(r.blocks) })) };
}
