import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { spawnLetterbox } from './support/letterbox-process.ts';
import { dataPayload, RawSmtpClient } from './support/raw-smtp-client.ts';
import { startTestLetterbox, storedMessages } from './support/test-letterbox.ts';

describe('graceful shutdown (in process)', () => {
  it('answers the message in flight, 421 to late commands, and refuses new connections', async () => {
    const server = await startTestLetterbox();
    try {
      const idle = (await RawSmtpClient.connect(server.letterbox.smtpPort)).client;
      await idle.command('EHLO idle.test');
      const sending = (await RawSmtpClient.connect(server.letterbox.smtpPort)).client;
      await sending.command('EHLO sending.test');
      await sending.command('MAIL FROM:<inflight@sender.test>');
      await sending.command('RCPT TO:<inflight@rcpt.test>');
      expect((await sending.command('DATA')).code).toBe(354);
      sending.write('Subject: in flight\r\n\r\nfirst half\r\n');

      const stopped = server.letterbox.stop();
      const late = await idle.command('NOOP').catch(() => null);
      expect(late?.code).toBe(421);

      sending.write(dataPayload('second half\r\n'));
      expect((await sending.read()).code).toBe(250);
      await stopped;

      await expect(
        new Promise((resolve, reject) => net.connect(server.letterbox.smtpPort, '127.0.0.1').on('connect', resolve).on('error', reject)),
      ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      const rows = await storedMessages(server.db);
      expect(rows.map((r) => r.raw.toString())).toEqual(['Subject: in flight\r\n\r\nfirst half\r\nsecond half\r\n']);
    } finally {
      await server.stop();
    }
  });
});

describe('as a process', () => {
  let database: { url: string; drop(): Promise<void> };
  let dataDir: string;
  let db: pg.Pool;
  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'letterbox-process-test-'));
    db = new pg.Pool({ connectionString: database.url, max: 2 });
    db.on('error', () => {});
  });
  afterAll(async () => {
    await db?.end();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });
  const args = () => ['--database-url', database.url, '--data-dir', dataDir, '--smtp-port', '0', '--imap-port', '0', '--imaps-port', '0', '--http-port', '0', '--log-level', 'warn'];

  it('keeps a message acknowledged right before SIGKILL, and parses it after the restart', async () => {
    const first = await spawnLetterbox(args());
    const { client } = await RawSmtpClient.connect(first.smtpPort);
    await client.command('EHLO client.test');
    await client.command('MAIL FROM:<durable@sender.test>');
    await client.command('RCPT TO:<durable@rcpt.test>');
    await client.command('DATA');
    client.write(dataPayload('Subject: durable\r\n\r\nsurvives a crash\r\n'));
    const reply = await client.read();
    first.child.kill('SIGKILL');
    expect(reply.code).toBe(250);
    expect((await first.exited).signal).toBe('SIGKILL');
    client.destroy();

    const second = await spawnLetterbox(args());
    try {
      const id = /stored as (\d+)/.exec(reply.text)![1]!;
      const row = await db.query('SELECT raw, "rcptTo", recipients FROM messages WHERE id = $1', [id]);
      expect(row.rows[0].raw.toString()).toBe('Subject: durable\r\n\r\nsurvives a crash\r\n');
      expect(row.rows[0].rcptTo).toEqual(['durable@rcpt.test']);
      expect(row.rows[0].recipients).toEqual(['durable@rcpt.test']);
      // The catch-all entry; the recipient's INBOX is filled when read.
      const entries = await db.query('SELECT count(*)::int AS n FROM mailbox_messages WHERE "messageId" = $1', [id]);
      expect(entries.rows[0].n).toBe(1);
      // The restarted node's parser sweeps up what the killed one left pending.
      let state = 'pending';
      while (state === 'pending') {
        state = (await db.query('SELECT "parseState" FROM messages WHERE id = $1', [id])).rows[0].parseState;
        if (state === 'pending') await new Promise((r) => setTimeout(r, 100));
      }
      expect(state).toBe('parsed');
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });

  it('exits cleanly on SIGTERM, answering 421 to a connected client', async () => {
    const running = await spawnLetterbox([...args(), '--log-level', 'info']);
    const { client } = await RawSmtpClient.connect(running.smtpPort);
    await client.command('EHLO client.test');
    running.child.kill('SIGTERM');
    await running.waitForOutput(/SIGTERM: shutting down/);
    // Either the reply to NOOP or the unsolicited goodbye: both are 421.
    const reply = await client.command('NOOP').catch(() => null);
    expect(reply?.code).toBe(421);
    expect(await running.exited).toEqual({ code: 0, signal: null });
  });
});
