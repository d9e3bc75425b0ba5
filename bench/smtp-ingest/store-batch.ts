// The ingest write alone: PostgreSQL's and Node's CPU per stored message for storeMessageBatch,
// without SMTP in front of it. PostgreSQL (the embedded 18.4 binaries, Letterbox's settings, see
// lib/bench-postgres.mjs) is pinned to CPU 0, this process to CPU 1, so each side's CPU is its own.
//
//   pnpm exec tsx bench/smtp-ingest/store-batch.ts [--messages 40000] [--batch 100] [--connections 3] [--sql 'DDL;DDL']
//
// Batch sizes are drawn uniformly from 1..--batch, as group commit produces them under load.
// --sql runs statements after the migrations (e.g. dropping an index) to price a variant.
import { parseArgs } from 'node:util';
import { applyMigrations } from '../../apps/server/src/db/migrate.ts';
import { storeMessageBatch, type ReceivedMessage } from '../../apps/server/src/domain/messages/store-message-batch.ts';
import { startBenchPostgres } from './lib/bench-postgres.mjs';
import { importFromServer } from './lib/deps.mjs';
import { cpuMsOf, pinProcess } from './lib/proc.mjs';

const { values: opts } = parseArgs({
  options: {
    messages: { type: 'string', default: '40000' },
    batch: { type: 'string', default: '100' },
    connections: { type: 'string', default: '3' },
    sql: { type: 'string', default: '' },
  },
});
const total = Number(opts.messages);
const maxBatch = Number(opts.batch);
const BODY = Buffer.from(`Subject: store-batch\r\nFrom: a@sender.test\r\n\r\n${'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(36)}\r\n`);

const pg = (await importFromServer('pg')) as typeof import('pg');
pinProcess(1);
const db = await startBenchPostgres({ cpus: 0 });
try {
  await applyMigrations(db.url);
  const clients = await Promise.all(Array.from({ length: Number(opts.connections) }, async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    return client;
  }));
  for (const statement of opts.sql.split(';').filter((s) => s.trim())) await clients[0]!.query(statement);
  let sent = 0;
  const message = (): ReceivedMessage => {
    sent += 1;
    const raw = Buffer.concat([Buffer.from(`To: u${sent}@load.test\r\n`), BODY]);
    return {
      raw, receivedAt: new Date(), mailFrom: 'a@sender.test',
      rcptTo: [`u${sent}@load.test`], authUser: null, clientAddress: '127.0.0.1', heloName: 'bench', tls: false, run: null,
    };
  };
  const drive = async (count: number) => {
    let left = count;
    await Promise.all(clients.map(async (client) => {
      while (left > 0) {
        const n = Math.min(1 + Math.floor(Math.random() * maxBatch), left);
        left -= n;
        await storeMessageBatch(client, Array.from({ length: n }, message), 'catchall@bench.test');
      }
    }));
  };
  await drive(Math.min(2_000, total)); // warm-up: JIT, prepared statements, buffers
  const dbBefore = db.pids().reduce((sum: number, pid: number) => sum + cpuMsOf(pid), 0);
  const nodeBefore = process.cpuUsage();
  const started = performance.now();
  await drive(total);
  const seconds = (performance.now() - started) / 1000;
  const dbMs = db.pids().reduce((sum: number, pid: number) => sum + cpuMsOf(pid), 0) - dbBefore;
  const node = process.cpuUsage(nodeBefore);
  console.log(`${total} messages, batches of 1-${maxBatch} over ${clients.length} connections: ${(total / seconds).toFixed(0)} msgs/s; ` +
    `CPU per message: PostgreSQL ${((dbMs * 1000) / total).toFixed(1)} µs, Node ${((node.user + node.system) / total).toFixed(1)} µs (this script's message building included)`);
  await Promise.all(clients.map((c) => c.end()));
} finally {
  await db.stop();
}
