import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { api, startApiServer, type ApiServer } from '../support/api-server.ts';

let server: ApiServer;
const MAX_WAIT_MS = 20_000;
beforeAll(async () => {
  server = await startApiServer({ maxWaitMs: MAX_WAIT_MS });
});
afterAll(async () => {
  await server?.stop();
});

const wait = (query: string) => api(server.baseUrl, `/api/v1/messages/wait?${query}`);
/** Resolves once the server holds `n` open waits: the wait is registered before we deliver. */
const waitersOpen = (n: number) => vi.waitFor(() => expect(server.http.waiterCount()).toBe(n), { timeout: 10_000, interval: 5 });

describe('GET /api/v1/messages/wait', () => {
  it('returns at once when a matching message is already there', async () => {
    const id = await server.send({ to: 'early@example.test', subject: 'Already here' });
    const { status, body } = await wait('to=early@example.test&timeout=5000');
    expect(status).toBe(200);
    expect(body.messages.map((m: { id: string }) => m.id)).toEqual([id]);
  });

  it('returns when a matching message arrives, and not for one that does not match', async () => {
    const pending = wait('to=later@example.test&subject=hello&timeout=15000');
    await waitersOpen(1);
    await server.send({ to: 'later@example.test', subject: 'Something else' });
    await server.send({ to: 'other@example.test', subject: 'hello' });
    const id = await server.send({ to: 'later@example.test', subject: 'Hello there' });
    const { status, body } = await pending;
    expect(status).toBe(200);
    expect(body.messages).toHaveLength(1);
    expect(body.messages[0]).toMatchObject({ id, subject: 'Hello there' });
  });

  it('waits for `count` messages and returns the newest ones first', async () => {
    const pending = wait('recipient=three@example.test&count=3&timeout=15000');
    await waitersOpen(1);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await server.send({ to: 'three@example.test', subject: `n${i}` }));
    const { body } = await pending;
    expect(body.messages.map((m: { id: string }) => m.id)).toEqual(ids.reverse());
  });

  it('ignores older messages with since', async () => {
    await server.send({ to: 'since@example.test', subject: 'old' });
    const since = new Date().toISOString();
    const pending = wait(`to=since@example.test&since=${encodeURIComponent(since)}&timeout=15000`);
    await waitersOpen(1);
    const id = await server.send({ to: 'since@example.test', subject: 'new' });
    expect((await pending).body.messages.map((m: { id: string }) => m.id)).toEqual([id]);
  });

  it('answers 408 wait_timeout naming the filter and how many matched', async () => {
    await server.send({ to: 'few@example.test', subject: 'only one' });
    const { status, body } = await wait('to=few@example.test&count=2&timeout=300');
    expect(status).toBe(408);
    expect(body.error.code).toBe('wait_timeout');
    expect(body.error.message).toContain('few@example.test');
    expect(body.error.details).toMatchObject({ matched: 1, count: 2 });
    expect(server.http.waiterCount()).toBe(0);
  });

  it('parses a pending message to match parsed-field filters', async () => {
    await server.letterbox.parser.stop();
    const pending = wait('subject=pending%20parse&timeout=15000');
    await waitersOpen(1);
    const id = await server.send({ to: 'pp@example.test', subject: 'Pending parse' });
    const { body } = await pending;
    expect(body.messages[0]).toMatchObject({ id, subject: 'Pending parse', parseState: 'parsed' });
  });

  it.each([
    ['a timeout above the server maximum', `timeout=${MAX_WAIT_MS + 1}`, 'timeout', 'invalid_parameter'],
    ['a negative timeout', 'timeout=-1', 'timeout', 'invalid_parameter'],
    ['a zero count', 'count=0', 'count', 'invalid_parameter'],
    ['an oversized count', 'count=101', 'count', 'invalid_parameter'],
    ['an invalid regex', 'subjectRegex=[', 'subjectRegex', 'invalid_regex'],
    ['an invalid date', 'since=soon', 'since', 'invalid_parameter'],
  ])('answers 400 for %s', async (_name, query, field, code) => {
    const { status, body } = await wait(query);
    expect(status).toBe(400);
    expect(body.error.code).toBe(code);
    expect(body.error.message).toContain(field);
  });

  it('frees the waiter when the client goes away', async () => {
    const controller = new AbortController();
    const pending = fetch(`${server.baseUrl}/api/v1/messages/wait?to=never@example.test&timeout=15000`, { signal: controller.signal }).catch(() => null);
    await waitersOpen(1);
    controller.abort();
    await pending;
    await waitersOpen(0);
  });
});
