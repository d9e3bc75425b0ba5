// Two CI jobs share an address and send at the same moment; each sees only its own run's mail.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { api, startApiServer, type ApiServer } from '../support/api-server.ts';

let server: ApiServer;
beforeAll(async () => {
  server = await startApiServer();
});
afterAll(async () => {
  await server?.stop();
});

const PER_RUN = 10;

describe('runs', () => {
  it('isolate parallel jobs sending to the same address', async () => {
    const waits = ['job-a', 'job-b'].map((run) =>
      api(server.baseUrl, `/api/v1/messages/wait?to=shared@example.test&run=${run}&count=${PER_RUN}&timeout=30000`),
    );
    await vi.waitFor(() => expect(server.http.waiterCount()).toBe(2), { timeout: 10_000, interval: 5 });
    const sent = await Promise.all(
      Array.from({ length: PER_RUN * 2 }, (_, i) => {
        const run = i % 2 === 0 ? 'job-a' : 'job-b';
        return server.send({ to: 'shared@example.test', subject: `${run} #${i}`, headers: { 'X-Letterbox-Run': run } }).then((id) => ({ id, run }));
      }),
    );
    const [a, b] = await Promise.all(waits);
    for (const [result, run] of [[a!, 'job-a'], [b!, 'job-b']] as const) {
      expect(result.status).toBe(200);
      const ids = result.body.messages.map((m: { id: string }) => m.id).sort();
      expect(ids).toEqual(sent.filter((s) => s.run === run).map((s) => s.id).sort());
      expect(result.body.messages.every((m: { run: string }) => m.run === run)).toBe(true);
    }
    const listA = await api(server.baseUrl, '/api/v1/messages?to=shared@example.test&run=job-a');
    expect(listA.body.messages).toHaveLength(PER_RUN);
    expect(listA.body.messages.every((m: { subject: string }) => m.subject.startsWith('job-a'))).toBe(true);
    await api(server.baseUrl, '/api/v1/messages?run=job-a', { method: 'DELETE' });
    expect((await api(server.baseUrl, '/api/v1/messages?run=job-b')).body.messages).toHaveLength(PER_RUN);
  });
});
