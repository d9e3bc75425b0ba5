import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type SearchContext, type SearchableMessage, matchesSearch, parseRfc5322Day, searchableText } from '../../src/search/matcher.ts';
import type { SearchKey } from '../../src/search/criteria.ts';
import { parseMime } from '../../src/mime/index.ts';

const m1 = readFileSync(new URL('../fixtures/m1.eml', import.meta.url));
const crlf = (lines: string[]): Buffer => Buffer.from(lines.join('\r\n'), 'latin1');

const latin1Body = Buffer.concat([
  crlf([
    'From: =?ISO-8859-1?Q?Andr=E9?= <andre@example.fr>',
    'To: "Team" <team@example.org>, other@example.net',
    'Cc: cc-person@example.com',
    'Bcc: hidden@example.com',
    'Subject: =?UTF-8?B?0J/RgNC40LLQtdGC?= world',
    'Date: Tue, 1 Jul 2025 23:30:00 -0500',
    'Message-ID: <abc.123@example.fr>',
    'X-Empty:',
    'Content-Type: multipart/mixed; boundary=b',
    '',
    '--b',
    'Content-Type: text/plain; charset=iso-8859-1',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    'Caf=E9 cr=E8me br=FBl=',
    '=E9e',
    '--b',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from('Base64 secret Ünïcode').toString('base64'),
    '--b',
    'Content-Type: application/octet-stream',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from('attachment-only-word').toString('base64'),
    '--b',
    'Content-Type: message/rfc822',
    '',
    'Subject: forwarded subject',
    '',
    'forwarded body text',
    '--b--',
    '',
  ]),
]);

const base = (raw: Buffer, over: Partial<SearchableMessage> = {}): SearchableMessage => ({
  raw,
  uid: 10,
  seq: 3,
  flags: [],
  internalDate: new Date('2025-06-02T10:00:05Z'),
  size: raw.length,
  recent: false,
  ...over,
});

const A: SearchableMessage = base(m1, { flags: ['\\Seen', '$label1'], recent: true });
const B: SearchableMessage = base(latin1Body, {
  uid: 20,
  seq: 5,
  flags: ['\\Flagged', '\\Answered', '\\Deleted', '\\Draft'],
  internalDate: new Date('2025-07-02T01:00:00Z'),
  internalDateTzOffset: -300,
});
const ctx: SearchContext = { maxSeq: 5, maxUid: 20 };

const S = (k: SearchKey): SearchKey => k;
const cases: [string, SearchKey, boolean, boolean][] = [
  // name, key, matches A (m1), matches B
  ['ALL', { kind: 'all' }, true, true],
  ['SEEN', { kind: 'flag', flag: '\\Seen', set: true }, true, false],
  ['UNSEEN', { kind: 'flag', flag: '\\Seen', set: false }, false, true],
  ['FLAGGED (case-insensitive flag)', { kind: 'flag', flag: '\\FLAGGED', set: true }, false, true],
  ['ANSWERED', { kind: 'flag', flag: '\\Answered', set: true }, false, true],
  ['DELETED', { kind: 'flag', flag: '\\Deleted', set: true }, false, true],
  ['UNDELETED', { kind: 'flag', flag: '\\Deleted', set: false }, true, false],
  ['DRAFT', { kind: 'flag', flag: '\\Draft', set: true }, false, true],
  ['KEYWORD $label1', { kind: 'flag', flag: '$label1', set: true }, true, false],
  ['UNKEYWORD $label1', { kind: 'flag', flag: '$label1', set: false }, false, true],
  ['RECENT', { kind: 'recent' }, true, false],
  ['NEW (recent and unseen)', { kind: 'new' }, false, false],
  ['OLD', { kind: 'old' }, false, true],
  ['LARGER 688 (strictly)', { kind: 'size', op: 'larger', size: 688 }, false, true],
  ['LARGER 687', { kind: 'size', op: 'larger', size: 687 }, true, true],
  ['SMALLER 689', { kind: 'size', op: 'smaller', size: 689 }, true, false],
  ['SMALLER 688 (strictly)', { kind: 'size', op: 'smaller', size: 688 }, false, false],
  ['seq 3', { kind: 'seq', set: [{ start: 3, end: 3 }] }, true, false],
  ['seq 4:*', { kind: 'seq', set: [{ start: 4, end: '*' }] }, false, true],
  ['seq * (= 5)', { kind: 'seq', set: [{ start: '*', end: '*' }] }, false, true],
  ['seq 9:7 (out of range)', { kind: 'seq', set: [{ start: 9, end: 7 }] }, false, false],
  ['UID 10', { kind: 'uid', set: [{ start: 10, end: 10 }] }, true, false],
  ['UID 99:* includes the last UID', { kind: 'uid', set: [{ start: 99, end: '*' }] }, false, true],
  ['UID 1:5,10', { kind: 'uid', set: [{ start: 1, end: 5 }, { start: 10, end: 10 }] }, true, false],
  ['FROM john (phrase and address)', { kind: 'header', field: 'FROM', value: 'JOHN' }, true, false],
  ['FROM "doe, john"', { kind: 'header', field: 'from', value: 'doe, john' }, true, false],
  ['FROM andré (RFC 2047 ISO-8859-1 decoded)', { kind: 'header', field: 'from', value: 'ANDRÉ' }, false, true],
  ['TO dev@sandbox', { kind: 'header', field: 'to', value: 'dev@sandbox' }, true, false],
  ['TO other@example.net (second address)', { kind: 'header', field: 'to', value: 'other@example.net' }, false, true],
  ['CC cc-person', { kind: 'header', field: 'cc', value: 'cc-person' }, false, true],
  ['BCC hidden', { kind: 'header', field: 'bcc', value: 'hidden' }, false, true],
  ['SUBJECT résumé (Q-encoded UTF-8)', { kind: 'header', field: 'subject', value: 'RÉSUMÉ' }, true, false],
  ['SUBJECT привет (B-encoded UTF-8)', { kind: 'header', field: 'subject', value: 'привет world' }, false, true],
  ['SUBJECT =?UTF-8 (raw form does not match)', { kind: 'header', field: 'subject', value: '=?utf-8?q?' }, false, false],
  ['HEADER MESSAGE-ID <m1@example.com>', { kind: 'header', field: 'Message-ID', value: '<m1@example.com>' }, true, false],
  ['HEADER MESSAGE-ID abc.123', { kind: 'header', field: 'MESSAGE-ID', value: 'abc.123' }, false, true],
  ['HEADER X-EMPTY "" (present)', { kind: 'header', field: 'x-empty', value: '' }, false, true],
  ['HEADER MIME-VERSION "" (present)', { kind: 'header', field: 'mime-version', value: '' }, true, false],
  ['HEADER X-NOPE "" (absent)', { kind: 'header', field: 'x-nope', value: '' }, false, false],
  ['BODY hello world (QP decoded)', { kind: 'body', value: 'HELLO WORLD' }, true, false],
  ['BODY <p>hello (html part)', { kind: 'body', value: '<p>hello' }, true, false],
  ['BODY crème brûlée (QP + ISO-8859-1, soft break)', { kind: 'body', value: 'crème brûlée' }, false, true],
  ['BODY ünïcode (base64 UTF-8)', { kind: 'body', value: 'secret ÜNÏCODE' }, false, true],
  ['BODY attachment word (non-text part not searched)', { kind: 'body', value: 'attachment-only-word' }, false, false],
  ['BODY forwarded body text (message/rfc822)', { kind: 'body', value: 'forwarded body text' }, false, true],
  ['BODY résumé (header text is not body)', { kind: 'body', value: 'résumé' }, false, false],
  ['TEXT résumé (header)', { kind: 'text', value: 'résumé' }, true, false],
  ['TEXT hello world (body)', { kind: 'text', value: 'hello world' }, true, false],
  ['TEXT nothing-like-this', { kind: 'text', value: 'nothing-like-this' }, false, false],
  ['SENTON 2-Jun-2025', { kind: 'sentdate', op: 'on', date: '2025-06-02' }, true, false],
  ['SENTON 1-Jul-2025 (date as written, -0500)', { kind: 'sentdate', op: 'on', date: '2025-07-01' }, false, true],
  ['SENTBEFORE 2-Jun-2025 (strictly)', { kind: 'sentdate', op: 'before', date: '2025-06-02' }, false, false],
  ['SENTBEFORE 3-Jun-2025', { kind: 'sentdate', op: 'before', date: '2025-06-03' }, true, false],
  ['SENTSINCE 2-Jun-2025 (inclusive)', { kind: 'sentdate', op: 'since', date: '2025-06-02' }, true, true],
  ['ON 2-Jun-2025 (INTERNALDATE)', { kind: 'internaldate', op: 'on', date: '2025-06-02' }, true, false],
  ['ON 1-Jul-2025 (INTERNALDATE in its -0500 zone)', { kind: 'internaldate', op: 'on', date: '2025-07-01' }, false, true],
  ['BEFORE 2-Jun-2025', { kind: 'internaldate', op: 'before', date: '2025-06-02' }, false, false],
  ['SINCE 2-Jun-2025', { kind: 'internaldate', op: 'since', date: '2025-06-02' }, true, true],
  ['SINCE 3-Jun-2025', { kind: 'internaldate', op: 'since', date: '2025-06-03' }, false, true],
  ['NOT SEEN', { kind: 'not', key: { kind: 'flag', flag: '\\Seen', set: true } }, false, true],
  [
    'OR SEEN FLAGGED',
    { kind: 'or', left: { kind: 'flag', flag: '\\Seen', set: true }, right: { kind: 'flag', flag: '\\Flagged', set: true } },
    true,
    true,
  ],
  [
    '(SEEN SUBJECT résumé) as AND',
    S({ kind: 'and', keys: [{ kind: 'flag', flag: '\\Seen', set: true }, { kind: 'header', field: 'subject', value: 'sum' }] }),
    true,
    false,
  ],
  ['empty AND', { kind: 'and', keys: [] }, true, true],
];

describe('matchesSearch', () => {
  it.each(cases)('%s', (_name, key, a, b) => {
    expect(matchesSearch(key, A, ctx)).toBe(a);
    expect(matchesSearch(key, B, ctx)).toBe(b);
  });

  it('without a context `*` names nothing and `n:*` is everything from n', () => {
    expect(matchesSearch({ kind: 'seq', set: [{ start: '*', end: '*' }] }, A)).toBe(false);
    expect(matchesSearch({ kind: 'uid', set: [{ start: 5, end: '*' }] }, A)).toBe(true);
    expect(matchesSearch({ kind: 'uid', set: [{ start: 11, end: '*' }] }, A)).toBe(false);
  });

  it('SENT* falls back to INTERNALDATE when Date: is missing or unparsable', () => {
    const raw = crlf(['Date: someday', '', 'x']);
    const msg = base(raw);
    expect(matchesSearch({ kind: 'sentdate', op: 'on', date: '2025-06-02' }, msg)).toBe(true);
  });

  it('uses the given parse tree and caches decoded text per raw Buffer', () => {
    const raw = Buffer.from(latin1Body); // a Buffer no earlier test has cached
    const root = parseMime(raw);
    const t1 = searchableText(raw, root);
    expect(t1.root).toBe(root);
    expect(searchableText(raw)).toBe(t1);
  });

  it('malformed messages never throw', () => {
    const keys: SearchKey[] = [
      { kind: 'text', value: 'x' },
      { kind: 'body', value: 'x' },
      { kind: 'header', field: 'subject', value: 'x' },
      { kind: 'sentdate', op: 'on', date: '2025-01-01' },
    ];
    for (const raw of [
      Buffer.alloc(0),
      Buffer.alloc(100, 0xff),
      crlf(['Subject: =?bogus-charset?Q?x?= =?UTF-8?B?!!!?=', 'Content-Type: text/plain; charset=x-unknown', '', '\xff\xfe']),
      crlf(['Content-Transfer-Encoding: base64', '', '!!!not base64']),
    ]) {
      for (const k of keys) expect(() => matchesSearch(k, base(raw))).not.toThrow();
    }
  });

  const days: [string, string | null][] = [
    ['Mon, 02 Jun 2025 10:00:00 +0000', '2025-06-02'],
    ['2 Jun 2025 10:00 +0000', '2025-06-02'],
    ['Tue, 1 July 99 12:00:00 GMT', '1999-07-01'],
    ['Thu, 13 Feb 03 12:00:00 GMT', '2003-02-13'],
    ['garbage', null],
  ];
  it.each(days)('Date: %j is day %j', (v, d) => {
    expect(parseRfc5322Day(v)).toBe(d);
  });
});
