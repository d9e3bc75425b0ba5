// The wait engine matches filters in JavaScript (match-message.ts); lists use SQL
// (message-filter-sql.ts). One table of filters must select the same messages through both.
import { messageFilterSchema } from '@letterbox/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchesFilter } from '../../../src/domain/messages/match-message.ts';
import { FACT_COLUMNS, toFacts, type FactRow } from '../../../src/domain/messages/message-rows.ts';
import { api, startApiServer, type ApiServer } from '../support/api-server.ts';

let server: ApiServer;
beforeAll(async () => {
  server = await startApiServer();
  await server.send({ to: 'Bob <Bob@Example.test>', subject: 'Welcome aboard', text: 'Hello Bob', headers: { 'X-Campaign': ' welcome ' } });
  await server.send({
    to: 'alice@example.test', cc: 'carol@example.test', bcc: 'dave@example.test', subject: 'Invoice #7 100%', html: '<p>Total <b>42</b></p>',
    attachments: [{ filename: 'a.txt', content: 'x' }],
  });
  await server.send({ from: 'noreply@shop.test', to: 'bob@example.test', subject: 'Reset_your password', text: 'Your code is 123456', headers: { 'X-Letterbox-Run': 'r1' } });
  await server.send({ envelope: { from: 'bounce@shop.test', to: ['eve@example.test'] }, to: 'list@example.test', subject: 'Digest' });
  const ids = (await server.db.query<{ id: string }>('SELECT id FROM messages ORDER BY id')).rows.map((r) => r.id);
  await api(server.baseUrl, `/api/v1/messages/${ids[1]}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"read":true}' });
});
afterAll(async () => {
  await server?.stop();
});

const QUERIES = [
  '', 'to=bob@example.test', 'to=BOB@EXAMPLE.TEST', 'to=list@example.test', 'cc=carol@example.test', 'bcc=dave@example.test', 'bcc=alice@example.test',
  'bcc=eve@example.test', 'recipient=eve@example.test', 'recipient=Bob@EXAMPLE.test', 'recipient=bob@example.test', 'from=bounce@shop.test',
  'from=NOREPLY@shop.test', 'from=sender@example.test', 'subject=%25', 'subject=_your', 'subject=INVOICE', 'subjectRegex=^(welcome|digest)$',
  'subjectRegex=[0-9]', 'text=hello', 'html=<b>42', 'header=X-Campaign:welcome', 'header=x-campaign', 'header=X-Missing',
  'header=X-Campaign:welcome&header=Subject:Welcome aboard', 'hasAttachment=true', 'hasAttachment=false', 'read=true', 'read=false',
  'run=r1', 'run=r2', 'to=bob@example.test&text=code',
];

describe('filters in SQL and in JavaScript', () => {
  it.each(QUERIES)('select the same messages for ?%s', async (query) => {
    const listed = await api(server.baseUrl, `/api/v1/messages?${query.replace(/ /g, '%20')}`);
    expect(listed.status).toBe(200);
    const sqlIds = listed.body.messages.map((m: { id: string }) => m.id).sort();
    const params = new URLSearchParams(query);
    const raw: Record<string, string | string[]> = {};
    for (const key of new Set(params.keys())) {
      const values = params.getAll(key);
      raw[key] = values.length > 1 ? values : values[0]!;
    }
    const filter = messageFilterSchema.parse(raw);
    const rows = await server.db.query<FactRow>(`SELECT ${FACT_COLUMNS} FROM messages m`);
    const jsIds = rows.rows.map(toFacts).filter((f) => matchesFilter(f, filter)).map((f) => f.id).sort();
    expect(jsIds).toEqual(sqlIds);
  });

  it('the table is not trivial: filters select different sets', async () => {
    const sizes = new Set<number>();
    for (const query of QUERIES) sizes.add((await api(server.baseUrl, `/api/v1/messages?${query.replace(/ /g, '%20')}`)).body.messages.length);
    expect(sizes.size).toBeGreaterThanOrEqual(3);
  });
});
