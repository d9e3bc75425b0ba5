import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startApiServer, type ApiServer } from '../support/api-server.ts';

let server: ApiServer;
const ids: Record<string, string> = {};

beforeAll(async () => {
  server = await startApiServer();
  ids.welcome = await server.send({ to: 'Bob <bob@example.test>', subject: 'Welcome aboard', text: 'Hello Bob', headers: { 'X-Campaign': 'welcome' } });
  ids.invoice = await server.send({
    to: 'alice@example.test', cc: 'carol@example.test', bcc: 'dave@example.test', subject: 'Invoice #7', html: '<p>Total <b>42</b></p>',
    attachments: [{ filename: 'invoice.txt', content: 'total 42' }],
  });
  ids.reset = await server.send({ from: 'noreply@shop.test', to: 'bob@example.test', subject: 'Reset your password', text: 'Your code is 123456' });
});
afterAll(async () => {
  await server?.stop();
});

const list = (query: string) => api(server.baseUrl, `/api/v1/messages${query}`);
const idsOf = (body: { messages: { id: string }[] }) => body.messages.map((m) => m.id);

describe('GET /api/v1/messages', () => {
  it('lists every message newest first, without bodies', async () => {
    const { status, body } = await list('');
    expect(status).toBe(200);
    expect(idsOf(body)).toEqual([ids.reset, ids.invoice, ids.welcome]);
    expect(body.nextCursor).toBeNull();
    const first = body.messages[0];
    expect(first).toMatchObject({ subject: 'Reset your password', from: { address: 'noreply@shop.test' }, read: false, parseState: 'parsed' });
    expect(first).not.toHaveProperty('text');
    expect(first).not.toHaveProperty('html');
  });

  it('gives each item a snippet: the start of the text body, whitespace collapsed', async () => {
    const long = `First   line\n\nsecond line ${'word '.repeat(100)}`;
    const id = await server.send({ to: 'snippet@example.test', subject: 'Snippet', text: long });
    const { body } = await list('?to=snippet@example.test');
    // Deleted at once: the tests below expect the three messages of beforeAll.
    await api(server.baseUrl, `/api/v1/messages/${id}`, { method: 'DELETE' });
    expect(body.messages[0].id).toBe(id);
    expect(body.messages[0].snippet).toBe(`First line second line ${'word '.repeat(100)}`.slice(0, 160));
    const { body: all } = await list('');
    expect(all.messages.find((m: { id: string }) => m.id === ids.reset).snippet).toBe('Your code is 123456');
    expect(all.messages.find((m: { id: string }) => m.id === ids.welcome).snippet).toBe('Hello Bob');
  });

  it.each([
    ['to', '?to=bob@example.test', ['reset', 'welcome']],
    ['to, case-insensitive', '?to=BOB@Example.Test', ['reset', 'welcome']],
    ['cc', '?cc=carol@example.test', ['invoice']],
    ['bcc', '?bcc=dave@example.test', ['invoice']],
    ['bcc does not match a To recipient', '?bcc=alice@example.test', []],
    ['recipient (envelope)', '?recipient=dave@example.test', ['invoice']],
    ['from (header)', '?from=noreply@shop.test', ['reset']],
    ['subject contains', '?subject=welcome', ['welcome']],
    ['subject with LIKE wildcards is literal', '?subject=%25', []],
    ['subjectRegex', '?subjectRegex=%5E(reset%7Cinvoice)', ['reset', 'invoice']],
    ['text contains', '?text=code%20is', ['reset']],
    ['html contains', '?html=%3Cb%3E42', ['invoice']],
    ['header name=value', '?header=X-Campaign:welcome', ['welcome']],
    ['header present', '?header=x-campaign', ['welcome']],
    ['hasAttachment', '?hasAttachment=true', ['invoice']],
    ['without attachment', '?hasAttachment=false', ['reset', 'welcome']],
    ['unread', '?read=false', ['reset', 'invoice', 'welcome']],
    ['read', '?read=true', []],
    ['several filters are ANDed', '?to=bob@example.test&subject=reset', ['reset']],
  ])('filters by %s', async (_name, query, expected) => {
    const { status, body } = await list(query);
    expect(status).toBe(200);
    expect(idsOf(body)).toEqual(expected.map((k) => ids[k]));
  });

  it('filters by received time (since inclusive, before exclusive)', async () => {
    const all = (await list('')).body.messages as { id: string; receivedAt: string }[];
    const invoice = all.find((m) => m.id === ids.invoice)!;
    expect(idsOf((await list(`?since=${encodeURIComponent(invoice.receivedAt)}`)).body)).toEqual([ids.reset, ids.invoice]);
    expect(idsOf((await list(`?before=${encodeURIComponent(invoice.receivedAt)}`)).body)).toEqual([ids.welcome]);
  });

  it('pages with a cursor', async () => {
    const first = await list('?limit=2');
    expect(idsOf(first.body)).toEqual([ids.reset, ids.invoice]);
    expect(first.body.nextCursor).toBe(ids.invoice);
    const second = await list(`?limit=2&cursor=${first.body.nextCursor}`);
    expect(idsOf(second.body)).toEqual([ids.welcome]);
    expect(second.body.nextCursor).toBeNull();
  });

  it.each([
    ['an oversized page', '?limit=201', 'limit'],
    ['a zero page size', '?limit=0', 'limit'],
    ['a non-numeric page size', '?limit=ten', 'limit'],
    ['a bad cursor', '?cursor=abc', 'cursor'],
    ['a bad date', '?since=yesterday', 'since'],
    ['a bad boolean', '?hasAttachment=maybe', 'hasAttachment'],
    ['a malformed header filter', '?header=:x', 'header'],
  ])('answers 400 naming the field for %s', async (_name, query, field) => {
    const { status, body } = await list(query);
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_parameter');
    expect(body.error.message).toContain(field);
  });

  it('answers 400 invalid_regex for a regex that does not compile', async () => {
    const { status, body } = await list('?subjectRegex=(unclosed');
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_regex');
    expect(body.error.message).toContain('subjectRegex');
  });
});
