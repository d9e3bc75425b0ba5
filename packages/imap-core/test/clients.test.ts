/** Command shapes real clients send (IMAP.md §1), replayed over a socket. */
import { afterEach, describe, expect, it } from 'vitest';
import type { TestServer, Transcript } from '../src/testing/transcript.ts';
import { claimRecent, loggedIn, M1 } from './helpers/fixture.ts';

let server: TestServer;
let t: Transcript;
afterEach(async () => server?.close());

/** The literal payload of the first `{n}` in a response. */
function literal(line: string): Buffer {
  const m = /\{(\d+)\}\r\n/.exec(line)!;
  const start = Buffer.byteLength(line.slice(0, m.index + m[0].length));
  return Buffer.from(line).subarray(start, start + Number(m[1]));
}

describe('client flows', () => {
  it('Thunderbird: lower-case commands, chunked non-PEEK body fetch until a short chunk', async () => {
    ({ server, t } = await loggedIn());
    await claimRecent(server);
    await t.send('1 select "INBOX"');
    const chunks: Buffer[] = [];
    for (let start = 0; ; start += 300) {
      const r = await t.send(`2 UID fetch 1 (UID RFC822.SIZE BODY[]<${start}.300>)`);
      const line = r.untagged.find((l) => l.includes('BODY[]'))!;
      const data = line.includes('""') ? Buffer.alloc(0) : literal(line);
      chunks.push(data);
      if (data.length < 300) break;
    }
    expect(Buffer.concat(chunks).equals(M1)).toBe(true);
    expect((await t.send('3 UID fetch 1 (FLAGS)')).untagged).toEqual(['* 1 FETCH (UID 1 FLAGS (\\Seen))']);
    expect((await t.send('4 STATUS "Sent" (UIDNEXT MESSAGES UNSEEN RECENT)')).untagged).toEqual([
      '* STATUS "Sent" (UIDNEXT 1 MESSAGES 0 UNSEEN 0 RECENT 0)',
    ]);
  });

  it('K-9: EXAMINE, sequence window inside UID SEARCH, highest UID, header+structure+partial fetch', async () => {
    ({ server, t } = await loggedIn());
    await t.send('5 EXAMINE INBOX');
    expect((await t.send('6 UID SEARCH 2:4 SINCE 1-Jun-2025 NOT DELETED')).untagged).toEqual(['* SEARCH 2 3 4']);
    expect((await t.send('7 UID SEARCH *:*')).untagged).toEqual(['* SEARCH 4']);
    const r = await t.send('8 UID FETCH 1,2 (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (date subject from)] BODYSTRUCTURE BODY.PEEK[]<0.64>)');
    expect(r.untagged).toHaveLength(2);
    expect(r.untagged[0]).toMatch(/^\* 1 FETCH \(UID 1 FLAGS \(\) INTERNALDATE "02-Jun-2025 10:00:05 \+0000" RFC822\.SIZE 688 BODY\[HEADER\.FIELDS \(date subject from\)\] \{\d+\}/);
    expect(r.untagged[1]).toContain('BODY[]<0> {64}');
    t.write('9 IDLE\r\n');
    expect(await t.next()).toBe('+ idling');
    t.write('DONE\r\n');
    expect(await t.next()).toMatch(/^9 OK/);
  });

  it('Apple Mail: pipelined NAMESPACE + LIST RETURN (SPECIAL-USE), UID SEARCH 1:* NOT DELETED, partial part fetch', async () => {
    ({ server, t } = await loggedIn());
    t.write('23.1 NAMESPACE\r\n23.2 LIST "" "*" RETURN (SPECIAL-USE)\r\n');
    expect((await t.collect('23.1')).untagged).toEqual(['* NAMESPACE (("" "/")) NIL NIL']);
    expect((await t.collect('23.2')).untagged).toHaveLength(6);
    await t.send('23.3 SELECT INBOX');
    expect((await t.send('23.4 UID SEARCH 1:* NOT DELETED')).untagged).toEqual(['* SEARCH 1 2 3 4']);
    expect((await t.send('23.5 UID FETCH 1 (UID BODY.PEEK[1]<0.393216>)')).untagged[0]).toMatch(/^\* 1 FETCH \(UID 1 BODY\[1\]<0> \{\d+\}\r\n--inner/);
  });

  it('mutt: sequence-number header fetch comes back in order', async () => {
    ({ server, t } = await loggedIn());
    await t.send('a0 EXAMINE INBOX');
    const r = await t.send('a1 FETCH 1:4 (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (DATE FROM SUBJECT)])');
    expect(r.untagged.map((l) => Number(/^\* (\d+) FETCH/.exec(l)![1]))).toEqual([1, 2, 3, 4]);
  });
});
