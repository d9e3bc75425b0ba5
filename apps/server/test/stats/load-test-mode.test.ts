// --load-test-mode: raw message and envelope stored, no background parse; the API parses a message
// when it first reads it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARSE_SWEEP_INTERVAL_MS } from '../../src/domain/messages/parse-pending-messages.ts';
import { startTestLetterbox, type TestLetterbox } from '../smtp/support/test-letterbox.ts';
import { send } from '../faults/support.ts';

let server: TestLetterbox;
beforeAll(async () => {
  server = await startTestLetterbox({ loadTestMode: true });
});
afterAll(async () => {
  await server?.stop();
});

const states = async () =>
  (await server.db.query<{ id: string; parseState: string; subject: string | null }>('SELECT id, "parseState", subject FROM messages ORDER BY id')).rows;

describe('load-test mode', () => {
  it('leaves messages unparsed until the API reads one, then parses only that one', async () => {
    for (let i = 0; i < 3; i++) expect((await send(server, { to: `u${i}@load.test`, subject: `hello ${i}` })).ok).toBe(true);
    // Longer than the normal mode's sweep interval: a background parser would have run by now.
    await new Promise((resolve) => setTimeout(resolve, PARSE_SWEEP_INTERVAL_MS + 500));
    const before = await states();
    expect(before.map((r) => r.parseState)).toEqual(['pending', 'pending', 'pending']);
    expect(before.every((r) => r.subject === null)).toBe(true);

    const response = await fetch(`http://127.0.0.1:${server.letterbox.httpPort}/api/v1/messages/${before[1]!.id}`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { subject: string }).subject).toBe('hello 1');
    expect((await states()).map((r) => r.parseState)).toEqual(['pending', 'parsed', 'pending']);

    const stats = (await (await fetch(`http://127.0.0.1:${server.letterbox.httpPort}/api/v1/stats`)).json()) as { loadTestMode: boolean };
    expect(stats.loadTestMode).toBe(true);
  });

  it('keeps the raw bytes and the envelope', async () => {
    const rows = await server.db.query<{ size: number; rcptTo: string[]; mailFrom: string }>('SELECT size, "rcptTo", "mailFrom" FROM messages ORDER BY id LIMIT 1');
    expect(rows.rows[0]).toMatchObject({ rcptTo: ['u0@load.test'], mailFrom: 'app@sender.test' });
    expect(rows.rows[0]!.size).toBeGreaterThan(0);
  });
});
