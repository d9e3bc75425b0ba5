import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataPayload, RawSmtpClient } from './support/raw-smtp-client.ts';
import { startTestLetterbox, storedMessages, type TestLetterbox } from './support/test-letterbox.ts';

let server: TestLetterbox;
beforeAll(async () => {
  server = await startTestLetterbox();
});
afterAll(async () => {
  await server?.stop();
});

/** Sends one message over a fresh connection; the reply to the end of DATA. */
async function send(port: number, from: string, to: string, payload: Buffer) {
  const { client } = await RawSmtpClient.connect(port);
  await client.command('EHLO client.test');
  expect((await client.command(`MAIL FROM:<${from}>`)).code).toBe(250);
  expect((await client.command(`RCPT TO:<${to}>`)).code).toBe(250);
  expect((await client.command('DATA')).code).toBe(354);
  client.write(payload);
  const reply = await client.read();
  await client.quit();
  return reply;
}

async function rawOf(from: string): Promise<Buffer[]> {
  return (await storedMessages(server.db)).filter((m) => m.mailFrom === from).map((m) => m.raw);
}

describe('stored bytes', () => {
  it('normalises bare LF and bare CR to CRLF, once', async () => {
    const sent = Buffer.from('Subject: endings\n\nbare LF\nbare CR\rCRLF\r\nmixed\n\r\nend\r\n');
    // The terminator must be CRLF.CRLF; the body itself is sent as is (no dot-stuffing needed).
    const reply = await send(server.letterbox.smtpPort, 'lf@sender.test', 'lf@rcpt.test', Buffer.concat([sent, Buffer.from('.\r\n')]));
    expect(reply.code).toBe(250);
    const [raw] = await rawOf('lf@sender.test');
    expect(raw!.toString('latin1')).toBe('Subject: endings\r\n\r\nbare LF\r\nbare CR\r\nCRLF\r\nmixed\r\n\r\nend\r\n');
  });

  it('keeps dot-stuffed lines byte-exact after unstuffing', async () => {
    const message = 'Subject: dots\r\n\r\n.leading dot\r\n..two dots\r\n.\r\n. space\r\n...\r\nlast\r\n';
    const reply = await send(server.letterbox.smtpPort, 'dots@sender.test', 'dots@rcpt.test', dataPayload(message));
    expect(reply.code).toBe(250);
    const [raw] = await rawOf('dots@sender.test');
    expect(raw!.toString('latin1')).toBe(message);
  });

  it('stores a 20 MB message whole, with size and sha256 from the stored bytes', async () => {
    const line = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-=+/ 20MB-test\r\n';
    const body = Buffer.from('Subject: big\r\n\r\n' + line.repeat(Math.ceil((20 * 1024 * 1024) / line.length)));
    const reply = await send(server.letterbox.smtpPort, 'big@sender.test', 'big@rcpt.test', dataPayload(body));
    expect(reply.code).toBe(250);
    const row = (await storedMessages(server.db)).find((m) => m.mailFrom === 'big@sender.test')!;
    expect(row.size).toBe(body.length);
    expect(row.raw.equals(body)).toBe(true);
    // The sha256 is the background parser's to write, from the same stored bytes.
    await server.letterbox.parser.whenIdle();
    const parsed = (await storedMessages(server.db)).find((m) => m.mailFrom === 'big@sender.test')!;
    expect(parsed.sha256).toBe(createHash('sha256').update(body).digest('hex'));
  });

  it('stores nothing when the client disconnects in the middle of DATA', async () => {
    const { client } = await RawSmtpClient.connect(server.letterbox.smtpPort);
    await client.command('EHLO client.test');
    await client.command('MAIL FROM:<cut@sender.test>');
    await client.command('RCPT TO:<cut@rcpt.test>');
    expect((await client.command('DATA')).code).toBe(354);
    client.write('Subject: cut\r\n\r\n' + 'half a message\r\n'.repeat(10_000));
    client.destroy();
    await client.whenClosed();
    // A later message on another connection is acknowledged after a commit; by then the server
    // has long handled the close of the first one.
    const reply = await send(server.letterbox.smtpPort, 'after-cut@sender.test', 'cut@rcpt.test', dataPayload('Subject: after\r\n\r\nok\r\n'));
    expect(reply.code).toBe(250);
    expect(await rawOf('cut@sender.test')).toEqual([]);
    expect(await rawOf('after-cut@sender.test')).toHaveLength(1);
  });
});

describe('size limit', () => {
  const LIMIT = 1024 * 1024;
  let small: TestLetterbox;
  beforeAll(async () => {
    small = await startTestLetterbox({ maxMessageSize: LIMIT });
  });
  afterAll(async () => {
    await small?.stop();
  });

  it('advertises the configured SIZE', async () => {
    const { client } = await RawSmtpClient.connect(small.letterbox.smtpPort);
    const ehlo = await client.command('EHLO client.test');
    expect(ehlo.lines.map((l) => l.slice(4))).toContain(`SIZE ${LIMIT}`);
    await client.quit();
  });

  it('answers 552 5.3.4 to an oversized message, stores nothing and keeps the session usable', async () => {
    const { client } = await RawSmtpClient.connect(small.letterbox.smtpPort);
    await client.command('EHLO client.test');
    await client.command('MAIL FROM:<huge@sender.test>');
    await client.command('RCPT TO:<huge@rcpt.test>');
    expect((await client.command('DATA')).code).toBe(354);
    client.write(dataPayload('Subject: huge\r\n\r\n' + 'x'.repeat(98) + '\r\n'.repeat(1) + ('y'.repeat(98) + '\r\n').repeat(LIMIT / 50)));
    const reply = await client.read();
    expect(reply.code).toBe(552);
    expect(reply.text).toMatch(/^5\.3\.4 /);
    await client.command('MAIL FROM:<fits@sender.test>');
    await client.command('RCPT TO:<huge@rcpt.test>');
    await client.command('DATA');
    client.write(dataPayload('Subject: fits\r\n\r\nsmall\r\n'));
    expect((await client.read()).code).toBe(250);
    await client.quit();
    const senders = (await storedMessages(small.db)).map((m) => m.mailFrom);
    expect(senders).not.toContain('huge@sender.test');
    expect(senders).toContain('fits@sender.test');
  });

  it('counts the size after CRLF normalisation: bare LFs that push a message over the limit get 552', async () => {
    // 0.75 MiB on the wire, 1.5 MiB once every bare LF has become CRLF.
    const payload = Buffer.concat([Buffer.from('Subject: lf\n\n'), Buffer.alloc((LIMIT * 3) / 4, 'a\n'), Buffer.from('\r\n.\r\n')]);
    const reply = await send(small.letterbox.smtpPort, 'lf-huge@sender.test', 'huge@rcpt.test', payload);
    expect(reply.code).toBe(552);
    expect((await storedMessages(small.db)).map((m) => m.mailFrom)).not.toContain('lf-huge@sender.test');
  });
});
