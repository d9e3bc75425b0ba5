import { afterEach, describe, expect, it } from 'vitest';
import type { TestServer, Transcript } from '../../src/testing/transcript.ts';
import { claimRecent, loggedIn, M1 } from '../helpers/fixture.ts';

let server: TestServer;
let t: Transcript;
afterEach(async () => server?.close());

async function start(select: 'SELECT' | 'EXAMINE' = 'EXAMINE'): Promise<void> {
  ({ server, t } = await loggedIn());
  if (select === 'SELECT') await claimRecent(server);
  expect((await t.send(`x0 ${select} INBOX`)).tagged).toMatch(/^x0 OK/);
}

const TB_FIELDS = 'From To Cc Bcc Subject Date Message-ID Priority X-Priority References Newsgroups In-Reply-To Content-Type Reply-To';

describe('T12 Thunderbird header fetch', () => {
  it('returns the requested header lines in original order, byte-exact', async () => {
    await start();
    const headers =
      'From: "Doe, John" <john@example.com>\r\nTo: dev@sandbox.test\r\nSubject: =?UTF-8?Q?R=C3=A9sum=C3=A9?=\r\n' +
      'Date: Mon, 02 Jun 2025 10:00:00 +0000\r\nMessage-ID: <m1@example.com>\r\n' +
      'Content-Type: multipart/mixed; boundary="outer"\r\n\r\n';
    expect(Buffer.byteLength(headers)).toBe(219);
    const r = await t.send(`h1 UID fetch 1 (UID RFC822.SIZE FLAGS BODY.PEEK[HEADER.FIELDS (${TB_FIELDS})])`);
    expect(r.untagged).toEqual([`* 1 FETCH (UID 1 RFC822.SIZE 688 FLAGS () BODY[HEADER.FIELDS (${TB_FIELDS})] {219}\r\n${headers})`]);
    expect((await t.send('h2 UID FETCH 1 (INTERNALDATE)')).untagged).toEqual(['* 1 FETCH (UID 1 INTERNALDATE "02-Jun-2025 10:00:05 +0000")']);
  });
});

describe('T13 BODYSTRUCTURE / ENVELOPE', () => {
  it('returns the extended structure and the envelope', async () => {
    await start();
    const r = await t.send('i1 UID FETCH 1 (BODYSTRUCTURE ENVELOPE)');
    expect(r.untagged).toEqual([
      '* 1 FETCH (UID 1 BODYSTRUCTURE ((("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "QUOTED-PRINTABLE" 15 1 NIL NIL NIL NIL)' +
        '("TEXT" "HTML" ("CHARSET" "utf-8") NIL NIL "7BIT" 14 1 NIL NIL NIL NIL) "ALTERNATIVE" ("BOUNDARY" "inner") NIL NIL NIL)' +
        '("APPLICATION" "PDF" ("NAME" "r.pdf") NIL NIL "BASE64" 14 NIL ("ATTACHMENT" ("FILENAME*" "UTF-8\'\'r%C3%A9sum%C3%A9.pdf"))' +
        ' NIL NIL) "MIXED" ("BOUNDARY" "outer") NIL NIL NIL)' +
        ' ENVELOPE ("Mon, 02 Jun 2025 10:00:00 +0000" "=?UTF-8?Q?R=C3=A9sum=C3=A9?=" (("Doe, John" NIL "john" "example.com"))' +
        ' (("Doe, John" NIL "john" "example.com")) (("Doe, John" NIL "john" "example.com")) ((NIL NIL "dev" "sandbox.test"))' +
        ' NIL NIL NIL "<m1@example.com>"))',
    ]);
  });

  it('returns BODY without extension data', async () => {
    await start();
    expect((await t.send('i2 UID FETCH 1 (BODY)')).untagged).toEqual([
      '* 1 FETCH (UID 1 BODY ((("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "QUOTED-PRINTABLE" 15 1)' +
        '("TEXT" "HTML" ("CHARSET" "utf-8") NIL NIL "7BIT" 14 1) "ALTERNATIVE")' +
        '("APPLICATION" "PDF" ("NAME" "r.pdf") NIL NIL "BASE64" 14) "MIXED"))',
    ]);
  });

  it('encodes groups, escapes quotes and backslashes, and sends 8-bit subjects as literals', async () => {
    ({ server, t } = await loggedIn());
    const subject = Buffer.from('Subject: say "hi" \\ ok\r\n');
    const raw = Buffer.concat([Buffer.from('From: a@b.c\r\nTo: grp: a@b.c;\r\n'), subject, Buffer.from('\r\nbody\r\n')]);
    const eightBit = Buffer.concat([Buffer.from('From: a@b.c\r\nSubject: '), Buffer.from('Grüße', 'utf8'), Buffer.from('\r\n\r\nx\r\n')]);
    const appendToArchive = async (tag: string, bytes: Buffer): Promise<void> => {
      t.write(`${tag} APPEND Archive {${bytes.length}+}\r\n`);
      t.write(Buffer.concat([bytes, Buffer.from('\r\n')]));
      expect((await t.collect(tag)).tagged).toMatch(new RegExp(`^${tag} OK`));
    };
    await appendToArchive('i3', raw);
    await appendToArchive('i4', eightBit);
    await t.send('i5 EXAMINE Archive');
    const env = (await t.send('i6 FETCH 1:2 (ENVELOPE)')).untagged;
    expect(env[0]).toContain('"say \\"hi\\" \\\\ ok"');
    expect(env[0]).toContain('((NIL NIL "grp" NIL)(NIL NIL "a" "b.c")(NIL NIL NIL NIL))');
    expect(env[1]).toContain(`{${Buffer.byteLength('Grüße')}}\r\nGrüße`);
  });
});

describe('T14 sections', () => {
  it('returns part bodies, MIME headers and selected fields with exact sizes', async () => {
    await start();
    const r = await t.send('k1 UID FETCH 1 (BODY.PEEK[1.1] BODY.PEEK[2.MIME] BODY.PEEK[HEADER.FIELDS (SUBJECT MESSAGE-ID)])');
    expect(r.untagged).toHaveLength(1);
    const line = r.untagged[0]!;
    expect(line).toContain('BODY[1.1] {15}\r\nHello=20world\r\n');
    expect(line).toContain('BODY[2.MIME] {154}\r\n');
    expect(line).toContain('BODY[HEADER.FIELDS (SUBJECT MESSAGE-ID)] {71}\r\n');
    const part1 = (await t.send('k2 UID FETCH 1 (BODY.PEEK[1])')).untagged[0]!;
    expect(part1).toMatch(/^\* 1 FETCH \(UID 1 BODY\[1\] \{\d+\}\r\n--inner\r\n/);
    expect(part1).toContain('--inner--');
    const missing = await t.send('k3 UID FETCH 1 (BODY.PEEK[3])');
    expect(missing.untagged).toEqual(['* 1 FETCH (UID 1 BODY[3] NIL)']);
    expect(missing.tagged).toMatch(/^k3 OK/);
  });
});

describe('T15 partial', () => {
  it('names the item by its origin, truncates, and returns "" past the end', async () => {
    await start();
    const j1 = (await t.send('j1 UID FETCH 1 (BODY.PEEK[]<0.100>)')).untagged;
    expect(j1).toEqual([`* 1 FETCH (UID 1 BODY[]<0> {100}\r\n${M1.subarray(0, 100).toString('utf8')})`]);
    expect((await t.send('j2 UID FETCH 1 (BODY.PEEK[]<680.100>)')).untagged).toEqual(['* 1 FETCH (UID 1 BODY[]<680> {8}\r\nuter--\r\n)']);
    expect((await t.send('j3 UID FETCH 1 (BODY.PEEK[]<688.100>)')).untagged).toEqual(['* 1 FETCH (UID 1 BODY[]<688> "")']);
    expect((await t.send('j4 UID FETCH 1 (BODY.PEEK[]<0.65536>)')).untagged).toEqual([`* 1 FETCH (UID 1 BODY[]<0> {688}\r\n${M1.toString('utf8')})`]);
    expect((await t.send('j5 UID FETCH 1 (BODY.PEEK[1.1]<0.5>)')).untagged).toEqual(['* 1 FETCH (UID 1 BODY[1.1]<0> {5}\r\nHello)']);
  });
});

describe('T16 implicit \\Seen', () => {
  it('sets \\Seen only for non-PEEK body fetches in a read-write mailbox and reports FLAGS', async () => {
    await start('SELECT');
    const peek = await t.send('p1 UID FETCH 1 (BODY.PEEK[TEXT])');
    expect(peek.untagged[0]).not.toContain('FLAGS');
    expect((await t.send('p2 UID FETCH 1 (FLAGS)')).untagged).toEqual(['* 1 FETCH (UID 1 FLAGS ())']);
    const text = M1.subarray(238).toString('utf8');
    expect((await t.send('p3 UID FETCH 1 (BODY[TEXT])')).untagged).toEqual([`* 1 FETCH (UID 1 BODY[TEXT] {450}\r\n${text} FLAGS (\\Seen))`]);
    expect((await t.send('p4 FETCH 2 (RFC822.HEADER)')).untagged[0]).not.toContain('FLAGS');
    expect((await t.send('p5 FETCH 2 (FLAGS)')).untagged).toEqual(['* 2 FETCH (FLAGS ())']);
    await t.send('p6 EXAMINE INBOX');
    expect((await t.send('p7 FETCH 3 (BODY[])')).untagged[0]).not.toContain('FLAGS');
    expect((await t.send('p8 FETCH 3 (FLAGS)')).untagged).toEqual(['* 3 FETCH (FLAGS ())']);
  });

  it('returns RFC822, RFC822.HEADER, RFC822.TEXT and the ALL/FAST/FULL macros', async () => {
    await start();
    const r = (await t.send('m1 FETCH 2 (RFC822.HEADER RFC822.TEXT RFC822)')).untagged[0]!;
    expect(r).toMatch(/^\* 2 FETCH \(RFC822\.HEADER \{\d+\}\r\nFrom: sender2/);
    expect(r).toContain('RFC822.TEXT {15}\r\nBody number 2\r\n');
    expect((await t.send('m2 FETCH 2 FAST')).untagged).toEqual(['* 2 FETCH (FLAGS () INTERNALDATE "02-Jun-2025 11:02:00 +0000" RFC822.SIZE 163)']);
    expect((await t.send('m3 FETCH 2 ALL')).untagged[0]).toMatch(/RFC822\.SIZE 163 ENVELOPE \("Mon, 02 Jun 2025 11:02:00 \+0000" "Small message 2"/);
    expect((await t.send('m4 FETCH 2 FULL')).untagged[0]).toMatch(/ BODY \("TEXT" "PLAIN" \("CHARSET" "US-ASCII"\) NIL NIL "7BIT" 15 1\)\)$/);
  });
});
