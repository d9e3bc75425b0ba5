// Every path that reads stored octets back (HTTP raw download, attachment download, IMAP FETCH
// BODY[], the background parser) returns them byte for byte: a message holding every byte value
// 0-255 and one of a few MB of pseudo-random bytes, sent over SMTP, compared with what was sent.
// These reads use binary COPY (src/db/binary-copy.ts); node-pg's own binary result mode would
// alter any byte sequence that is not UTF-8.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imapFlow } from '../imap/support/imap-letterbox.ts';
import { dataPayload, RawSmtpClient } from '../smtp/support/raw-smtp-client.ts';
import { startTestLetterbox, type TestLetterbox } from '../smtp/support/test-letterbox.ts';

const RECIPIENT = 'bytes@rcpt.test';
const BOUNDARY = 'raw-bytes-boundary-7f3a9c';
const LARGE_BYTES = 3 * 1024 * 1024;

/** Bytes 0-255 in order; CR and LF only as CRLF pairs, so ingest's normalisation leaves them be. */
function everyByte(): Buffer {
  const bytes: number[] = [];
  for (let b = 0; b < 256; b++) {
    if (b === 0x0a) continue; // sent right after the CR
    bytes.push(b);
    if (b === 0x0d) bytes.push(0x0a);
  }
  return Buffer.from(bytes);
}

/** Deterministic pseudo-random bytes with every bare CR or LF made a CRLF pair. */
function pseudoRandom(length: number): Buffer {
  const out = Buffer.alloc(length);
  let x = 0x2545f491;
  let n = 0;
  while (n < length) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    let b = x & 0xff;
    if (b === 0x0a) b = 0x0b;
    if (b === 0x0d) {
      if (n + 1 >= length) break;
      out[n++] = 0x0d;
      b = 0x0a;
    }
    out[n++] = b;
  }
  return out.subarray(0, n);
}

/** A message whose attachment is `payload` as is (Content-Transfer-Encoding: binary). */
function messageWith(subject: string, payload: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(
      [
        'From: sender@sender.test',
        `To: ${RECIPIENT}`,
        `Subject: ${subject}`,
        'MIME-Version: 1.0',
        `Content-Type: multipart/mixed; boundary="${BOUNDARY}"`,
        '',
        `--${BOUNDARY}`,
        'Content-Type: text/plain; charset=iso-8859-1',
        'Content-Transfer-Encoding: 8bit',
        '',
        'caf\xe9 \xa9 \xff',
        `--${BOUNDARY}`,
        'Content-Type: application/octet-stream',
        'Content-Disposition: attachment; filename="bytes.bin"',
        'Content-Transfer-Encoding: binary',
        '',
        '',
      ].join('\r\n'),
      'latin1',
    ),
    payload,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let server: TestLetterbox;
const sent: { subject: string; payload: Buffer; raw: Buffer; id: string }[] = [];

beforeAll(async () => {
  server = await startTestLetterbox();
  for (const [subject, payload] of [['every byte', everyByte()], ['large', pseudoRandom(LARGE_BYTES)]] as const) {
    const raw = messageWith(subject, payload);
    const { client } = await RawSmtpClient.connect(server.letterbox.smtpPort);
    await client.command('EHLO client.test');
    await client.command('MAIL FROM:<sender@sender.test>');
    await client.command(`RCPT TO:<${RECIPIENT}>`);
    expect((await client.command('DATA')).code).toBe(354);
    client.write(dataPayload(raw));
    const reply = await client.read();
    await client.quit();
    expect(reply.code).toBe(250);
    const id = /stored as (\d+)/.exec(reply.text)![1]!;
    sent.push({ subject, payload, raw, id });
  }
  await server.letterbox.parser.whenIdle();
});
afterAll(async () => {
  await server?.stop();
});

describe('stored octets read back byte-exact', () => {
  it('are stored as sent (checked through a plain text-format read)', async () => {
    expect(new Set(everyByte()).size).toBe(256);
    expect(new Set(sent[0]!.raw).size).toBe(256);
    expect(sent[1]!.raw.length).toBeGreaterThan(LARGE_BYTES - 1024);
    for (const { raw, id } of sent) {
      const stored = await server.db.query<{ raw: Buffer }>('SELECT raw FROM messages WHERE id = $1', [id]);
      expect(stored.rows[0]!.raw.equals(raw)).toBe(true);
    }
  });

  it('GET /messages/:id/raw', async () => {
    for (const { raw, id } of sent) {
      const response = await fetch(`http://127.0.0.1:${server.letterbox.httpPort}/api/v1/messages/${id}/raw`);
      expect(response.status).toBe(200);
      const body = Buffer.from(await response.arrayBuffer());
      expect(body.length).toBe(raw.length);
      expect(body.equals(raw)).toBe(true);
    }
  });

  it('the background parser (attachment size and sha256) and the attachment download', async () => {
    for (const { payload, id } of sent) {
      const message = (await (await fetch(`http://127.0.0.1:${server.letterbox.httpPort}/api/v1/messages/${id}`)).json()) as { text: string };
      expect(message.text.trim()).toBe('caf\u00e9 \u00a9 \u00ff');
      const attachments = await server.db.query<{ id: string; size: number; sha256: string }>(
        'SELECT id, size, sha256 FROM attachments WHERE "messageId" = $1',
        [id],
      );
      expect(attachments.rows).toEqual([{ id: expect.any(String), size: payload.length, sha256: sha256(payload) }]);
      const download = await fetch(`http://127.0.0.1:${server.letterbox.httpPort}/api/v1/messages/${id}/attachments/${attachments.rows[0]!.id}`);
      expect(download.status).toBe(200);
      expect(Buffer.from(await download.arrayBuffer()).equals(payload)).toBe(true);
    }
  });

  it('IMAP FETCH BODY[] (with ENVELOPE and BODYSTRUCTURE computed from the octets)', async () => {
    const client = imapFlow(server.letterbox.imapPort, RECIPIENT);
    await client.connect();
    try {
      await client.mailboxOpen('INBOX');
      const fetched = [];
      for await (const m of client.fetch('1:*', { uid: true, envelope: true, bodyStructure: true, source: true })) fetched.push(m);
      expect(fetched.map((m) => m.envelope?.subject)).toEqual(sent.map((s) => s.subject));
      for (const [i, m] of fetched.entries()) {
        expect(m.source!.length).toBe(sent[i]!.raw.length);
        expect(m.source!.equals(sent[i]!.raw)).toBe(true);
      }
    } finally {
      await client.logout();
    }
  });
});
