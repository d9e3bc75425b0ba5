// Replies written in one synchronous run leave in one socket write (smtp/coalesce-replies.ts),
// in order, and none waits for anything but the end of its tick: the 250 after DATA still goes
// out right after the COMMIT, and STARTTLS still works after a pipelined EHLO.
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { dataPayload, RawSmtpClient } from './support/raw-smtp-client.ts';
import { startTestLetterbox, storedMessages, type TestLetterbox } from './support/test-letterbox.ts';

let server: TestLetterbox;
beforeAll(async () => {
  server = await startTestLetterbox();
});
afterAll(async () => {
  await server?.stop();
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** Counts the socket writes (one `_write` or `_writev` each: one syscall) the SMTP listener makes. */
function countServerWrites(): { writes: number[] } {
  const port = server.letterbox.smtpPort;
  const counted = { writes: [] as number[] };
  const proto = net.Socket.prototype as unknown as Record<'_write' | '_writev', (this: net.Socket, ...args: unknown[]) => void>;
  const write = proto._write;
  const writev = proto._writev;
  vi.spyOn(proto, '_write').mockImplementation(function (this: net.Socket, ...args: unknown[]) {
    if (this.localPort === port) counted.writes.push(1);
    return write.apply(this, args);
  });
  vi.spyOn(proto, '_writev').mockImplementation(function (this: net.Socket, ...args: unknown[]) {
    if (this.localPort === port) counted.writes.push((args[0] as unknown[]).length);
    return writev.apply(this, args);
  });
  return counted;
}

async function connect(): Promise<RawSmtpClient> {
  const { client } = await RawSmtpClient.connect(server.letterbox.smtpPort);
  expect((await client.command('EHLO client.test')).code).toBe(250);
  return client;
}

describe('reply coalescing', () => {
  it('answers a pipelined MAIL FROM, RCPT TO, RCPT TO, DATA with one write, replies in order', async () => {
    const client = await connect();
    const counted = countServerWrites();
    client.write('MAIL FROM:<c@sender.test>\r\nRCPT TO:<c1@coalesce.test>\r\nRCPT TO:<c2@coalesce.test>\r\nDATA\r\n');
    const replies = [await client.read(), await client.read(), await client.read(), await client.read()];
    expect(replies.map((r) => r.code)).toEqual([250, 250, 250, 354]);
    expect(replies.map((r) => r.text)).toEqual(['2.1.0 Accepted', '2.1.5 Accepted', '2.1.5 Accepted', 'End data with <CR><LF>.<CR><LF>']);
    expect(counted.writes).toEqual([4]);

    client.write(dataPayload('Subject: coalesced\r\n\r\none write\r\n'));
    const stored = await client.read();
    expect(stored.code).toBe(250);
    expect(stored.text).toMatch(/^2\.6\.0 OK: message stored as \d+$/);
    // The 250 after COMMIT went out on its own, once the message was stored.
    expect(counted.writes).toEqual([4, 1]);
    const rows = (await storedMessages(server.db)).filter((m) => m.mailFrom === 'c@sender.test');
    expect(rows.map((r) => r.rcptTo)).toEqual([['c1@coalesce.test', 'c2@coalesce.test']]);
    await client.quit();
  });

  it('answers commands sent one at a time one write each', async () => {
    const client = await connect();
    const counted = countServerWrites();
    expect((await client.command('MAIL FROM:<s@sender.test>')).code).toBe(250);
    expect((await client.command('RCPT TO:<s1@coalesce.test>')).code).toBe(250);
    expect((await client.command('NOOP')).code).toBe(250);
    expect((await client.command('RSET')).code).toBe(250);
    expect(counted.writes).toEqual([1, 1, 1, 1]);
    await client.quit();
  });

  it('sends the STARTTLS 220 before the handshake, also after a pipelined EHLO', async () => {
    const { client } = await RawSmtpClient.connect(server.letterbox.smtpPort);
    client.write('EHLO client.test\r\nSTARTTLS\r\n');
    expect((await client.read()).code).toBe(250);
    const ready = await client.read();
    expect(ready.code).toBe(220);
    await client.handshake();
    expect(client.encrypted).toBe(true);
    expect((await client.command('EHLO client.test')).code).toBe(250);
    await client.quit();
  });
});
