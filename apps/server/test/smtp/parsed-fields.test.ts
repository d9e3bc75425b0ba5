import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataPayload, RawSmtpClient } from './support/raw-smtp-client.ts';
import { startTestLetterbox, type TestLetterbox } from './support/test-letterbox.ts';

let server: TestLetterbox;
beforeAll(async () => {
  server = await startTestLetterbox();
});
afterAll(async () => {
  await server?.stop();
});

function transport(auth?: { user: string; pass: string }) {
  return nodemailer.createTransport({ host: '127.0.0.1', port: server.letterbox.smtpPort, secure: false, ignoreTLS: true, auth });
}

async function sendRaw(from: string, to: string, message: string | Buffer) {
  const { client } = await RawSmtpClient.connect(server.letterbox.smtpPort);
  await client.command('EHLO client.test');
  await client.command(`MAIL FROM:<${from}>`);
  await client.command(`RCPT TO:<${to}>`);
  await client.command('DATA');
  client.write(dataPayload(message));
  const reply = await client.read();
  await client.quit();
  expect(reply.code).toBe(250);
  return /stored as (\d+)/.exec(reply.text)![1]!;
}

async function messageRow(id: string) {
  await server.letterbox.parser.whenIdle();
  const result = await server.db.query('SELECT * FROM messages WHERE id = $1', [id]);
  return result.rows[0];
}

describe('background parsing', () => {
  it('fills the parsed fields and attachments after the 250', async () => {
    const pdf = Buffer.from('%PDF-1.4 not really a pdf');
    const info = await transport().sendMail({
      from: '"Zoë Sender" <zoe@sender.test>',
      to: ['"Bob" <bob@rcpt.test>', 'carol@rcpt.test'],
      cc: 'dave@rcpt.test',
      replyTo: 'replies@sender.test',
      subject: 'Grüße aus Köln ✓',
      messageId: '<parsed-1@sender.test>',
      inReplyTo: '<earlier@sender.test>',
      references: ['<first@sender.test>', '<earlier@sender.test>'],
      date: new Date('2026-01-02T03:04:05Z'),
      text: 'Your code is 123456',
      html: '<p>Your code is <b>123456</b><img src="cid:logo@x"></p>',
      attachments: [
        { filename: 'report.pdf', content: pdf, contentType: 'application/pdf' },
        { filename: 'logo.png', content: Buffer.from([0x89, 0x50, 0x4e, 0x47]), cid: 'logo@x', contentType: 'image/png' },
      ],
    });
    const id = /stored as (\d+)/.exec(info.response)![1]!;
    const row = await messageRow(id);
    expect(row.parseState).toBe('parsed');
    expect(row.sha256).toBe(createHash('sha256').update(row.raw).digest('hex'));
    expect(row.subject).toBe('Grüße aus Köln ✓');
    expect(row.fromAddress).toEqual([{ name: 'Zoë Sender', address: 'zoe@sender.test' }]);
    expect(row.toAddresses).toEqual([{ name: 'Bob', address: 'bob@rcpt.test' }, { name: '', address: 'carol@rcpt.test' }]);
    expect(row.ccAddresses).toEqual([{ name: '', address: 'dave@rcpt.test' }]);
    expect(row.replyTo).toEqual([{ name: '', address: 'replies@sender.test' }]);
    expect(row.date.toISOString()).toBe('2026-01-02T03:04:05.000Z');
    expect(row.messageIdHeader).toBe('<parsed-1@sender.test>');
    expect(row.inReplyTo).toBe('<earlier@sender.test>');
    expect(row.references).toEqual(['<first@sender.test>', '<earlier@sender.test>']);
    expect(row.text.trim()).toBe('Your code is 123456');
    expect(row.html).toContain('<b>123456</b>');
    expect(row.headers).toContainEqual({ name: 'Message-ID', value: '<parsed-1@sender.test>' });
    // Positions follow MIME order: nodemailer puts the inline image (multipart/related) first.
    const attachments = await server.db.query('SELECT * FROM attachments WHERE "messageId" = $1 ORDER BY position', [id]);
    expect(attachments.rows.map((a) => [a.filename, a.contentType, a.size, a.contentId, a.disposition, a.sha256])).toEqual([
      ['logo.png', 'image/png', 4, '<logo@x>', 'inline', createHash('sha256').update(Buffer.from([0x89, 0x50, 0x4e, 0x47])).digest('hex')],
      ['report.pdf', 'application/pdf', pdf.length, null, 'attachment', createHash('sha256').update(pdf).digest('hex')],
    ]);
  });

  it('stores a message that does not parse and marks it failed with the reason', async () => {
    // A header block over mailparser's limit (2 MiB for one MIME node) cannot be parsed.
    const message = `Subject: broken\r\nX-Huge: ${'h'.repeat(3 * 1024 * 1024)}\r\n\r\nbody\r\n`;
    const id = await sendRaw('broken@sender.test', 'broken@rcpt.test', message);
    const row = await messageRow(id);
    expect(row.parseState).toBe('failed');
    expect(row.parseError).toMatch(/header/i);
    expect(row.raw.toString('latin1')).toBe(message);
    // The parser writes the message's sha256 whether or not the message parsed.
    expect(row.sha256).toBe(createHash('sha256').update(row.raw).digest('hex'));
  });

  it('stores decoded text with lone UTF-16 surrogates (as U+FFFD), quotes, backslashes and control characters', async () => {
    // A UTF-16 encoded word can decode to half a surrogate pair.
    const halfPair = Buffer.from([0xd8, 0x00, 0x00, 0x41]).toString('base64');
    const message = `Subject: =?UTF-16BE?B?${halfPair}?=\r\nX-Odd: a "quoted" \\back\\slash \x01\r\nFrom: "Q \\"x\\"" <q@sender.test>\r\n\r\nbody \\ "\r\n`;
    const id = await sendRaw('surrogate@sender.test', 'surrogate@rcpt.test', message);
    const row = await messageRow(id);
    expect(row.parseState).toBe('parsed');
    expect(row.subject).toBe('\uFFFDA');
    expect(row.headers).toContainEqual({ name: 'X-Odd', value: 'a "quoted" \\back\\slash \x01' });
    expect(row.fromAddress).toEqual([{ name: 'Q "x"', address: 'q@sender.test' }]);
    expect(row.headerAddresses).toEqual(['from:q@sender.test']);
    expect(row.text.trim()).toBe('body \\ "');
  });

  it('parses what it can of sloppy MIME (missing closing boundary, unknown charset)', async () => {
    const message = 'Subject: sloppy\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain; charset=x-unknown\r\n\r\nstill here\r\n';
    const id = await sendRaw('sloppy@sender.test', 'sloppy@rcpt.test', message);
    const row = await messageRow(id);
    expect(row.parseState).toBe('parsed');
    expect(row.subject).toBe('sloppy');
    expect(row.text).toContain('still here');
  });
});

describe('test run', () => {
  it('takes the X-Letterbox-Run header when there is no AUTH user', async () => {
    const id = await sendRaw('run@sender.test', 'someone+run-ignored@rcpt.test', 'X-Letterbox-Run: nightly-42\r\nSubject: r\r\n\r\nx\r\n');
    expect((await messageRow(id)).run).toBe('nightly-42');
  });

  it('takes a +run-<id> recipient tag when there is neither AUTH user nor header', async () => {
    const id = await sendRaw('run@sender.test', 'someone+run-pr-7@rcpt.test', 'Subject: r\r\n\r\nX-Letterbox-Run: in the body is not a header\r\n');
    expect((await messageRow(id)).run).toBe('pr-7');
  });

  it('prefers the AUTH username over the header', async () => {
    const info = await transport({ user: 'job-1', pass: 'x' }).sendMail({
      from: 'run@sender.test', to: 'a+run-tag@rcpt.test', subject: 'r', text: 'x', headers: { 'X-Letterbox-Run': 'header-run' },
    });
    const id = /stored as (\d+)/.exec(info.response)![1]!;
    expect((await messageRow(id)).run).toBe('job-1');
  });

  it('leaves run empty without any of the three', async () => {
    const id = await sendRaw('run@sender.test', 'plain@rcpt.test', 'Subject: r\r\n\r\nx\r\n');
    expect((await messageRow(id)).run).toBeNull();
  });
});
