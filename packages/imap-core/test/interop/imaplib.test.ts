/**
 * Interop: CPython's imaplib (python3 on the machine) drives the memory server through login,
 * LIST/LSUB, SELECT, FETCH of every item kind, SEARCH, STORE, COPY, MOVE, EXPUNGE, APPEND and
 * IDLE (raw IDLE/DONE: imaplib 3.11 has no idle()). The Python side (imaplib_client.py) records
 * what imaplib returned; the assertions are here.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../src/testing/transcript.ts';
import { M1, PASSWORD, USER, fixtureBackend, smallMessage } from '../helpers/fixture.ts';

const SCRIPT = fileURLToPath(new URL('./imaplib_client.py', import.meta.url));

type Json = Record<string, unknown>;
let server: TestServer;
let r: Json;

const b64 = (s: unknown): Buffer => Buffer.from(String(s), 'base64');
/** imaplib's (typ, data) pair, with data items decoded to strings by the script. */
const typData = (v: unknown): [string, unknown[]] => {
  expect(v, JSON.stringify(v)).toBeInstanceOf(Array);
  return v as [string, unknown[]];
};

beforeAll(async () => {
  server = await startTestServer(fixtureBackend());
  const { stdout } = await promisify(execFile)('python3', [SCRIPT, String(server.port), USER, PASSWORD], {
    timeout: 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  r = JSON.parse(stdout) as Json;
}, 90_000);

afterAll(async () => {
  await server?.close();
});

describe('Python imaplib against the memory server', () => {
  it('completes the whole script without a fatal error', () => {
    expect(r.fatal).toBeUndefined();
    const errors = Object.entries(r).filter(([, v]) => v !== null && typeof v === 'object' && 'error' in (v as Json));
    expect(errors).toEqual([]);
  });

  it('accepts the greeting (IMAP4rev1, never IMAP4rev2) and logs in', () => {
    expect(r.welcome).toMatch(/^\* OK \[CAPABILITY IMAP4rev1 /);
    expect(r.capabilities).toContain('IMAP4REV1');
    expect(r.capabilities).not.toContain('IMAP4REV2');
    const [typ, data] = typData(r.login);
    expect(typ).toBe('OK');
    expect(String(data[0])).toMatch(/CAPABILITY IMAP4rev1 .*UIDPLUS MOVE/);
  });

  it('LIST and LSUB return the six default mailboxes with special-use attributes', () => {
    for (const key of ['list', 'lsub']) {
      const [typ, data] = typData(r[key]);
      expect(typ).toBe('OK');
      expect(data).toEqual([
        '(\\HasNoChildren) "/" "INBOX"',
        '(\\HasNoChildren \\Sent) "/" "Sent"',
        '(\\HasNoChildren \\Drafts) "/" "Drafts"',
        '(\\HasNoChildren \\Trash) "/" "Trash"',
        '(\\HasNoChildren \\Junk) "/" "Junk"',
        '(\\HasNoChildren \\Archive) "/" "Archive"',
      ]);
    }
  });

  it('SELECT INBOX reports 4 messages', () => {
    expect(r.select).toEqual(['OK', ['4']]);
  });

  it('FETCH UID FLAGS INTERNALDATE RFC822.SIZE', () => {
    expect(r.fetch_meta).toEqual([
      'OK',
      ['1 (UID 1 FLAGS (\\Recent) INTERNALDATE "02-Jun-2025 10:00:05 +0000" RFC822.SIZE 688)'],
    ]);
  });

  it('FETCH ENVELOPE, BODYSTRUCTURE and BODY are the T13 strings', () => {
    expect(r.fetch_envelope).toEqual([
      'OK',
      [
        '1 (ENVELOPE ("Mon, 02 Jun 2025 10:00:00 +0000" "=?UTF-8?Q?R=C3=A9sum=C3=A9?=" (("Doe, John" NIL "john" "example.com"))' +
          ' (("Doe, John" NIL "john" "example.com")) (("Doe, John" NIL "john" "example.com")) ((NIL NIL "dev" "sandbox.test"))' +
          ' NIL NIL NIL "<m1@example.com>"))',
      ],
    ]);
    expect(r.fetch_bodystructure).toEqual([
      'OK',
      [
        '1 (BODYSTRUCTURE ((("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "QUOTED-PRINTABLE" 15 1 NIL NIL NIL NIL)' +
          '("TEXT" "HTML" ("CHARSET" "utf-8") NIL NIL "7BIT" 14 1 NIL NIL NIL NIL) "ALTERNATIVE" ("BOUNDARY" "inner") NIL NIL NIL)' +
          '("APPLICATION" "PDF" ("NAME" "r.pdf") NIL NIL "BASE64" 14 NIL ("ATTACHMENT" ("FILENAME*" "UTF-8\'\'r%C3%A9sum%C3%A9.pdf"))' +
          ' NIL NIL) "MIXED" ("BOUNDARY" "outer") NIL NIL NIL))',
      ],
    ]);
    expect(r.fetch_body).toEqual([
      'OK',
      [
        '1 (BODY ((("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "QUOTED-PRINTABLE" 15 1)' +
          '("TEXT" "HTML" ("CHARSET" "utf-8") NIL NIL "7BIT" 14 1) "ALTERNATIVE")' +
          '("APPLICATION" "PDF" ("NAME" "r.pdf") NIL NIL "BASE64" 14) "MIXED"))',
      ],
    ]);
  });

  it('FETCH FAST / ALL / FULL expand to their items', () => {
    const [fast, all, full] = r.fetch_macros as [string, string[]][];
    expect(fast![1][0]).toBe('1 (FLAGS (\\Recent) INTERNALDATE "02-Jun-2025 10:00:05 +0000" RFC822.SIZE 688)');
    expect(all![1][0]).toMatch(/RFC822\.SIZE 688 ENVELOPE \("Mon, 02 Jun 2025/);
    expect(full![1][0]).toMatch(/ENVELOPE \(.*\) BODY \(\(\("TEXT" "PLAIN"/);
  });

  const sectionCases: [string, (raw: Buffer) => Buffer][] = [
    ['BODY.PEEK[]', (raw) => raw],
    ['BODY.PEEK[HEADER]', (raw) => raw.subarray(0, 238)],
    ['BODY.PEEK[TEXT]', (raw) => raw.subarray(238)],
    ['BODY.PEEK[1.1]', () => Buffer.from('Hello=20world\r\n')],
    ['BODY.PEEK[1.2]', () => Buffer.from('<p>Hello</p>\r\n')],
    ['BODY.PEEK[2]', () => Buffer.from('JVBERi0xLjQK\r\n')],
    ['BODY.PEEK[1.1.MIME]', () => Buffer.from('Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n')],
    ['BODY.PEEK[2.MIME]', (raw) => raw.subarray(raw.indexOf('Content-Type: application/pdf'), raw.indexOf('JVBERi0'))],
    ['BODY.PEEK[HEADER.FIELDS (SUBJECT MESSAGE-ID)]', () => Buffer.from('Subject: =?UTF-8?Q?R=C3=A9sum=C3=A9?=\r\nMessage-ID: <m1@example.com>\r\n\r\n')],
    ['BODY.PEEK[HEADER.FIELDS.NOT (SUBJECT)]', (raw) => Buffer.from(raw.subarray(0, 238).toString('latin1').replace(/Subject: .*\r\n/, ''), 'latin1')],
    ['BODY.PEEK[]<680.100>', () => Buffer.from('uter--\r\n')],
    ['RFC822.HEADER', (raw) => raw.subarray(0, 238)],
  ];
  it.each(sectionCases)('FETCH %s returns the exact stored bytes', (section, expected) => {
    const got = (r.sections as Record<string, { typ: string; bytes: string }>)[section]!;
    expect(got.typ).toBe('OK');
    expect(b64(got.bytes).equals(expected(M1))).toBe(true);
  });

  it('PEEK leaves \\Seen alone; RFC822 and RFC822.TEXT set it and report FLAGS', () => {
    expect(r.flags_after_peek).toEqual(['OK', ['1 (FLAGS (\\Recent))']]);
    const rfc822 = r.fetch_rfc822 as { typ: string; bytes: string; raw: unknown[] };
    expect(b64(rfc822.bytes).equals(Buffer.from(smallMessage(2)))).toBe(true);
    expect(JSON.stringify(rfc822.raw)).toContain('FLAGS (\\\\Seen');
    expect(JSON.stringify(r.fetch_rfc822_text)).toContain('RFC822.TEXT {15}');
  });

  it('BODY[] of every message is byte-equal to the stored message', () => {
    const { typ, bodies } = r.all_bodies as { typ: string; bodies: Record<string, string> };
    expect(typ).toBe('OK');
    expect(Object.keys(bodies)).toEqual(['1', '2', '3', '4']);
    expect(b64(bodies['1']).equals(M1)).toBe(true);
    for (const n of [2, 3, 4]) expect(b64(bodies[String(n)]).equals(Buffer.from(smallMessage(n)))).toBe(true);
  });

  it('SEARCH: flags, headers, UID sets, OR, sizes, dates, decoded body, UTF-8 literal, BADCHARSET', () => {
    const s = r.search as Record<string, [string, string[]]>;
    expect(s.all).toEqual(['OK', ['1 2 3 4']]);
    expect(s.seen).toEqual(['OK', ['2 3']]);
    expect(s.unseen).toEqual(['OK', ['1 4']]);
    expect(s.subject).toEqual(['OK', ['3']]);
    expect(s.header_msgid).toEqual(['OK', ['1']]);
    expect(s.uid_range).toEqual(['OK', ['2 3']]);
    expect(s.or).toEqual(['OK', ['2 4']]);
    expect(s.larger).toEqual(['OK', ['1']]);
    expect(s.since).toEqual(['OK', ['1 2 3 4']]);
    expect(s.body_qp).toEqual(['OK', ['1']]);
    expect(s.utf8_subject).toEqual(['OK', ['1']]);
    expect(s.badcharset![0]).toBe('NO');
    expect(s.badcharset![1][0]).toMatch(/^\[BADCHARSET \(US-ASCII UTF-8\)\]/);
  });

  it('STORE +FLAGS / -FLAGS.SILENT / UID STORE', () => {
    expect(r.store_add).toEqual(['OK', ['1 (FLAGS (\\Flagged $label1 \\Recent))']]);
    expect(r.store_silent).toEqual(['OK', [null]]);
    expect(r.uid_store).toEqual(['OK', ['1 (UID 1 FLAGS ($label1 \\Answered \\Recent))']]);
    expect(r.flags_after_store).toEqual(['OK', ['1 (FLAGS ($label1 \\Answered \\Recent))']]);
  });

  it('APPEND answers APPENDUID and the message reads back byte for byte with its flag', () => {
    expect(r.append).toEqual(['OK', ['[APPENDUID 1700000000 5] APPEND completed']]);
    const back = r.append_fetch as { uid: string; bytes: string; raw: unknown[] };
    expect(back.uid).toBe('5');
    expect(b64(back.bytes).equals(b64(r.appended_sent))).toBe(true);
    expect(JSON.stringify(back.raw)).toContain('FLAGS (\\\\Seen');
  });

  it('COPY answers COPYUID and the copy is in Archive', () => {
    expect(r.copy).toEqual(['OK', ['[COPYUID 1700000005 1 1] COPY completed']]);
    expect(r.status_archive).toEqual(['OK', ['"Archive" (MESSAGES 1 UIDNEXT 2)']]);
  });

  it('MOVE and UID MOVE send COPYUID before the EXPUNGE and land in Trash', () => {
    const move = r.move as { typ: string; untagged: Record<string, string[]> };
    expect(move.typ).toBe('OK');
    expect(move.untagged.OK).toContain('[COPYUID 1700000003 2 1] Moved');
    expect(move.untagged.EXPUNGE).toEqual(['2']);
    expect(typData(r.uid_move)[0]).toBe('OK');
    expect(r.status_trash).toEqual(['OK', ['"Trash" (MESSAGES 2)']]);
  });

  it('EXPUNGE removes the \\Deleted message and renumbers', () => {
    expect(r.expunge).toEqual(['OK', ['1']]);
    // Left: UID 3 and the appended UID 5 (UID 1 expunged, 2 and 4 moved).
    expect(r.after_expunge).toEqual(['OK', ['1 (UID 3)', '2 (UID 5)']]);
  });

  it('IDLE: continuation, EXISTS pushed for another connection’s APPEND, tagged OK after DONE', () => {
    const idle = r.idle as { continuation: string; pushed: string; after_done: string[]; other_append: [string, string[]] };
    expect(idle.continuation).toMatch(/^\+ /);
    expect(idle.other_append[0]).toBe('OK');
    expect(idle.pushed).toBe('* 3 EXISTS\r\n');
    expect(idle.after_done.at(-1)).toMatch(/^\S+ OK /);
  });

  it('NOOP, CLOSE and LOGOUT', () => {
    expect(typData(r.noop)[0]).toBe('OK');
    expect(typData(r.close)[0]).toBe('OK');
    expect(typData(r.logout)[0]).toBe('BYE');
  });
});
