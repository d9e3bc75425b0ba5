import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startApiServer, type ApiServer } from '../support/api-server.ts';

let server: ApiServer;
beforeAll(async () => {
  server = await startApiServer();
});
afterAll(async () => {
  await server?.stop();
});

const WAITERS = 1_000;
/** Half wait by recipient (indexed), half by subject (matched against every arrival). */
const HALF = WAITERS / 2;

describe('1,000 concurrent waits', () => {
  it('one delivery wakes exactly the matching ones; the rest stay open until their clients leave', async () => {
    const controller = new AbortController();
    const settled = new Set<number>();
    const responses = Array.from({ length: WAITERS }, (_, i) => {
      const query = i < HALF ? `recipient=u${i}@example.test` : `subject=S${i}!`;
      return fetch(`${server.baseUrl}/api/v1/messages/wait?${query}&timeout=60000`, { signal: controller.signal })
        .then(async (r) => ({ i, status: r.status, body: (await r.json()) as { messages: { id: string }[] } }))
        .catch(() => null)
        .finally(() => settled.add(i));
    });
    await vi.waitFor(() => expect(server.http.waiterCount()).toBe(WAITERS), { timeout: 30_000, interval: 20 });

    const id = await server.send({ to: 'u7@example.test', subject: 'S503!' });
    const woken = await Promise.all([responses[7]!, responses[503]!]);
    for (const w of woken) {
      expect(w?.status).toBe(200);
      expect(w?.body.messages.map((m) => m.id)).toEqual([id]);
    }
    expect(server.http.waiterCount()).toBe(WAITERS - 2);
    expect([...settled].sort((a, b) => a - b)).toEqual([7, 503]);

    controller.abort();
    await Promise.all(responses);
    await vi.waitFor(() => expect(server.http.waiterCount()).toBe(0), { timeout: 30_000, interval: 20 });
  });
});
