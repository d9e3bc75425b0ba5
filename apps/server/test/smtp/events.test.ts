import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeEvent, EVENTS_CHANNEL, MAX_NOTIFY_PAYLOAD_BYTES, parseEvent, type LetterboxEvent } from '../../src/domain/events/letterbox-events.ts';
import { dataPayload, RawSmtpClient } from './support/raw-smtp-client.ts';
import { startTestLetterbox, type TestLetterbox } from './support/test-letterbox.ts';

let server: TestLetterbox;
beforeAll(async () => {
  server = await startTestLetterbox();
});
afterAll(async () => {
  await server?.stop();
});

describe('NOTIFY after commit', () => {
  it('reaches a separate LISTEN connection, and the message is visible when it arrives', async () => {
    const listener = new pg.Client({ connectionString: server.url });
    await listener.connect();
    await listener.query(`LISTEN ${EVENTS_CHANNEL}`);
    const seen: { event: LetterboxEvent; visible: number }[] = [];
    const arrived = new Promise<void>((resolve) => {
      listener.on('notification', (n) => {
        const event = parseEvent(n.payload ?? '');
        if (event?.type !== 'messages.created') return;
        // Read through another connection at the moment of the notification.
        void server.db.query('SELECT count(*)::int AS n FROM messages WHERE id = ANY($1::bigint[])', [event.messageIds]).then((r) => {
          seen.push({ event, visible: r.rows[0].n });
          resolve();
        });
      });
    });

    const { client } = await RawSmtpClient.connect(server.letterbox.smtpPort);
    await client.command('EHLO client.test');
    await client.command('MAIL FROM:<n@sender.test>');
    await client.command('RCPT TO:<n@rcpt.test>');
    await client.command('DATA');
    client.write(dataPayload('Subject: notify\r\n\r\nx\r\n'));
    const reply = await client.read();
    await client.quit();
    const id = /stored as (\d+)/.exec(reply.text)![1]!;
    await arrived;
    await listener.end();

    const [first] = seen;
    expect(first!.event.messageIds).toEqual([id]);
    expect(first!.visible).toBe(1);
    // No INBOX got the message at ingest (each is filled when read), so the event names the
    // INBOXes' addresses instead, the catch-all's first: IMAP sessions with one selected look then.
    const event = first!.event as Extract<LetterboxEvent, { type: 'messages.created' }>;
    expect(event.mailboxes).toEqual([]);
    expect(event.recipients).toEqual([server.config.catchAllAddress, 'n@rcpt.test']);
  });
});

describe('event payloads', () => {
  it('split a large event into notifications under the NOTIFY limit that together carry every id', () => {
    const event: LetterboxEvent = {
      type: 'messages.created',
      messageIds: Array.from({ length: 3000 }, (_, i) => String(1_000_000_000 + i)),
      mailboxes: Array.from({ length: 800 }, (_, i) => ({ id: String(i), uidNext: 100_000 + i, highestModseq: String(200_000 + i) })),
      recipients: Array.from({ length: 2000 }, (_, i) => `recipient-${i}@example.test`),
    };
    const payloads = encodeEvent(event);
    expect(payloads.length).toBeGreaterThan(1);
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThan(MAX_NOTIFY_PAYLOAD_BYTES);
    const parsed = payloads.map((p) => parseEvent(p) as Extract<LetterboxEvent, { type: 'messages.created' }>);
    expect(parsed.every((e) => e.type === 'messages.created')).toBe(true);
    expect(parsed.flatMap((e) => e.messageIds)).toEqual(event.messageIds);
    expect(parsed.flatMap((e) => e.mailboxes)).toEqual(event.mailboxes);
    expect(parsed.flatMap((e) => e.recipients ?? [])).toEqual(event.recipients);
  });
});
