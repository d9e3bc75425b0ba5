import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataPayload, RawSmtpClient } from './support/raw-smtp-client.ts';
import { startTestLetterbox, storedMessages, inboxMessageIds, type TestLetterbox } from './support/test-letterbox.ts';

let server: TestLetterbox;
beforeAll(async () => {
  server = await startTestLetterbox();
});
afterAll(async () => {
  await server?.stop();
});

async function connect() {
  const { client, greeting } = await RawSmtpClient.connect(server.letterbox.smtpPort);
  expect(greeting.code).toBe(220);
  return client;
}

describe('EHLO', () => {
  it('advertises exactly the implemented extensions', async () => {
    const client = await connect();
    const ehlo = await client.command('EHLO client.test');
    expect(ehlo.code).toBe(250);
    const keywords = ehlo.lines.slice(1).map((l) => l.slice(4));
    expect(keywords.sort()).toEqual(
      ['8BITMIME', 'AUTH PLAIN LOGIN CRAM-MD5', 'ENHANCEDSTATUSCODES', 'PIPELINING', 'SIZE 52428800', 'SMTPUTF8', 'STARTTLS'].sort(),
    );
    await client.quit();
  });
});

describe('PIPELINING', () => {
  it('answers a whole pipelined transaction in order and stores the message once per recipient', async () => {
    const client = await connect();
    await client.command('EHLO client.test');
    const body = 'Subject: pipelined\r\n\r\nsent in one write\r\n';
    client.write(
      Buffer.concat([
        Buffer.from('MAIL FROM:<p@sender.test>\r\nRCPT TO:<p1@pipe.test>\r\nRCPT TO:<p2@pipe.test>\r\nDATA\r\n'),
        dataPayload(body),
        Buffer.from('MAIL FROM:<p@sender.test>\r\nRCPT TO:<p3@pipe.test>\r\nDATA\r\n'),
        dataPayload(body),
        Buffer.from('NOOP\r\n'),
      ]),
    );
    const codes: number[] = [];
    for (let i = 0; i < 10; i++) codes.push((await client.read()).code);
    expect(codes).toEqual([250, 250, 250, 354, 250, 250, 250, 354, 250, 250]);
    await client.quit();
    const rows = (await storedMessages(server.db)).filter((m) => m.mailFrom === 'p@sender.test');
    expect(rows.map((r) => r.rcptTo)).toEqual([['p1@pipe.test', 'p2@pipe.test'], ['p3@pipe.test']]);
    expect(await inboxMessageIds(server.db, 'p1@pipe.test')).toEqual([rows[0]!.id]);
    expect(await inboxMessageIds(server.db, 'p2@pipe.test')).toEqual([rows[0]!.id]);
    expect(await inboxMessageIds(server.db, 'p3@pipe.test')).toEqual([rows[1]!.id]);
  });
});

describe('SMTPUTF8 and 8BITMIME', () => {
  it('accepts a UTF-8 address and stores an 8-bit body byte for byte', async () => {
    const client = await connect();
    await client.command('EHLO client.test');
    expect((await client.command('MAIL FROM:<søren@exämple.test> SMTPUTF8 BODY=8BITMIME')).code).toBe(250);
    expect((await client.command('RCPT TO:<Jürgen@Bücher.TEST>')).code).toBe(250);
    expect((await client.command('DATA')).code).toBe(354);
    const body = Buffer.concat([
      Buffer.from('From: søren@exämple.test\r\nSubject: 8bit\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n'),
      Buffer.from('Grüße — 日本語\r\n', 'utf8'),
      Buffer.from([0xe9, 0x80, 0xff, 0x0d, 0x0a]), // latin-1 and stray high bytes: kept as they are
    ]);
    client.write(dataPayload(body));
    const reply = await client.read();
    expect(reply.code).toBe(250);
    expect(reply.text).toMatch(/^2\.6\.0 /);
    await client.quit();
    const row = (await storedMessages(server.db)).find((m) => m.mailFrom === 'søren@exämple.test')!;
    expect(row.raw.equals(body)).toBe(true);
    expect(row.size).toBe(body.length);
    expect(row.rcptTo).toHaveLength(1);
    // The domain is case-insensitive (lower-cased), the local part is kept as given.
    expect(await inboxMessageIds(server.db, 'Jürgen@bücher.test')).toEqual([row.id]);
  });
});

describe('limits and failures', () => {
  it('answers 452 past 1000 recipients and still delivers to the first 1000', async () => {
    const client = await connect();
    await client.command('EHLO client.test');
    await client.command('MAIL FROM:<many@sender.test>');
    client.write(Array.from({ length: 1001 }, (_, i) => `RCPT TO:<r${i}@many.test>\r\n`).join(''));
    const codes: number[] = [];
    for (let i = 0; i < 1001; i++) codes.push((await client.read()).code);
    expect(codes.slice(0, 1000).every((c) => c === 250)).toBe(true);
    expect(codes[1000]).toBe(452);
    expect((await client.command('DATA')).code).toBe(354);
    client.write(dataPayload('Subject: many\r\n\r\nx\r\n'));
    expect((await client.read()).code).toBe(250);
    await client.quit();
    const [row] = (await storedMessages(server.db)).filter((m) => m.mailFrom === 'many@sender.test');
    expect(row!.rcptTo).toHaveLength(1000);
  });

  it('keeps accepting after PostgreSQL drops every connection of the server', async () => {
    const client = await connect();
    await client.command('EHLO client.test');
    const send = async (subject: string) => {
      await client.command('MAIL FROM:<reconnect@sender.test>');
      await client.command('RCPT TO:<reconnect@rcpt.test>');
      await client.command('DATA');
      client.write(dataPayload(`Subject: ${subject}\r\n\r\nx\r\n`));
      return client.read();
    };
    expect((await send('before')).code).toBe(250);
    await server.db.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
    expect((await send('after')).code).toBe(250);
    await client.quit();
    expect((await storedMessages(server.db)).filter((m) => m.mailFrom === 'reconnect@sender.test')).toHaveLength(2);
  });
});
