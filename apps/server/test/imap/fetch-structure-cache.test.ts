// ENVELOPE, BODYSTRUCTURE and BODY come from columns cached on the first FETCH. Whether computed
// now or read back from the cache, the bytes on the wire must equal what imap-core's in-memory
// reference backend sends for the same message (which computes them from the octets every time).
import net from 'node:net';
import { ImapServer } from '@letterbox/imap-core';
import { MemoryBackend } from '@letterbox/imap-core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLetterbox } from '../../src/letterbox.ts';
import { createImapTestEnv, imapFlow, type ImapTestEnv } from './support/imap-letterbox.ts';

const USER = 'structure@example.test';

/** Multipart with an alternative and an attachment, several addresses, a group, 8-bit and RFC 2047 headers. */
const MESSAGE = Buffer.from(
  [
    'From: "Doe, John" <john@example.com>',
    'To: alice@example.test, Bob <bob@example.test>, undisclosed-recipients:;',
    'Cc: =?UTF-8?Q?Ren=C3=A9e?= <renee@example.test>',
    'Subject: Résumé attached',
    'Date: Sun, 22 Nov 2026 03:00:00 +0100',
    'Message-ID: <structure@example.test>',
    'In-Reply-To: <earlier@example.test>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="outer"',
    '',
    '--outer',
    'Content-Type: multipart/alternative; boundary="inner"',
    '',
    '--inner',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    'Hello=20world',
    '--inner',
    'Content-Type: text/html; charset=utf-8',
    '',
    '<p>Hello</p>',
    '--inner--',
    '--outer',
    'Content-Type: application/pdf; name="r\u00e9sum\u00e9.pdf"',
    'Content-Disposition: attachment; filename*=UTF-8\'\'r%C3%A9sum%C3%A9.pdf',
    'Content-Transfer-Encoding: base64',
    '',
    'JVBERi0xLjQK',
    '--outer--',
    '',
  ].join('\r\n'),
  'utf8',
);

/** 8-bit header octets that are not UTF-8 (Latin-1 "é"): cached as a value tree, not wire text. */
const LATIN1_MESSAGE = Buffer.concat([
  Buffer.from('From: Ren'),
  Buffer.from([0xe9]),
  Buffer.from(' <renee@example.test>\r\nSubject: caf'),
  Buffer.from([0xe9]),
  Buffer.from('\r\nMessage-ID: <latin1@example.test>\r\n\r\nBody\r\n'),
]);

const FETCH = 'FETCH 1:2 (ENVELOPE BODYSTRUCTURE BODY RFC822.SIZE)';

let env: ImapTestEnv;
let node: RunningLetterbox;
let reference: ImapServer;
let referencePort: number;

beforeAll(async () => {
  env = await createImapTestEnv();
  node = await env.startNode();
  const client = imapFlow(node.imapPort, USER);
  await client.connect();
  await client.append('INBOX', MESSAGE);
  await client.append('INBOX', LATIN1_MESSAGE);
  await client.logout();
  const backend = new MemoryBackend({ users: { [USER]: { password: 'pw' } } });
  backend.deliver(USER, 'INBOX', MESSAGE);
  backend.deliver(USER, 'INBOX', LATIN1_MESSAGE);
  reference = new ImapServer({ backend, allowInsecureAuth: true, logger: { error: () => {} } });
  referencePort = (await reference.listen(0, '127.0.0.1')).port;
});

afterAll(async () => {
  await reference.close();
  await env.close();
});

/** Runs the commands on a plaintext connection; returns the bytes each one produced. */
async function transcript(port: number, commands: string[]): Promise<Buffer[]> {
  const socket = net.connect(port, '127.0.0.1');
  let buffer = Buffer.alloc(0);
  let notify = () => {};
  socket.on('data', (d: Buffer) => {
    buffer = Buffer.concat([buffer, d]);
    notify();
  });
  const until = async (pattern: RegExp) => {
    while (!pattern.test(buffer.toString('latin1'))) await new Promise<void>((r) => (notify = r));
    const text = buffer.toString('latin1');
    const match = pattern.exec(text)!;
    const end = match.index + match[0].length;
    const taken = buffer.subarray(0, end);
    buffer = buffer.subarray(end);
    return taken;
  };
  await until(/^\* OK[^\n]*\n/m);
  const outputs: Buffer[] = [];
  for (const [i, command] of commands.entries()) {
    socket.write(`t${i} ${command}\r\n`);
    outputs.push(await until(new RegExp(`^t${i} [^\\n]*\\n`, 'm')));
  }
  socket.destroy();
  return outputs;
}

describe('cached ENVELOPE and BODYSTRUCTURE', () => {
  it('are byte-identical to the reference backend, computed and then from the cache', async () => {
    const commands = [`LOGIN ${USER} pw`, 'EXAMINE INBOX', FETCH, FETCH];
    // The untagged data, without the tagged OK line (tags differ).
    const data = (output: Buffer | undefined) => output!.toString('latin1').replace(/t\d+ OK[^\n]*\n$/, '');
    const [, , expected] = await transcript(referencePort, commands);
    const [, , computed, cached] = await transcript(node.imapPort, commands);
    expect(data(expected)).toContain('BODYSTRUCTURE (((');
    expect(data(computed)).toBe(data(expected));
    expect(data(cached)).toBe(data(expected));
    expect(data(expected)).toContain('{4}\r\ncaf\xe9');
    const rows = await env.db.query<{ size: number; wire: boolean }>(
      `SELECT m.size, s.envelope ? 'w' AS wire FROM messages m JOIN message_imap_structures s ON s."messageId" = m.id
        WHERE s.envelope IS NOT NULL AND s."bodyStructure" IS NOT NULL ORDER BY m.id`,
    );
    expect(rows.rows).toEqual([
      { size: MESSAGE.length, wire: true },
      { size: LATIN1_MESSAGE.length, wire: false },
    ]);
  });
});
