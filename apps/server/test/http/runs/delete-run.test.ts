import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expireRuns } from '../../../src/domain/runs/expire-runs.ts';
import { silentLogger } from '../../../src/logger.ts';
import { api, startApiServer, type ApiServer } from '../support/api-server.ts';

let server: ApiServer;
beforeAll(async () => {
  server = await startApiServer();
});
afterAll(async () => {
  await server?.stop();
});

const runMessages = async (run: string) => (await api(server.baseUrl, `/api/v1/messages?run=${run}`)).body.messages.length;

describe('DELETE /api/v1/runs/{run}', () => {
  it('deletes the run\'s messages and only those', async () => {
    await server.send({ to: 'a+run-doomed@example.test', subject: '1' });
    await server.send({ to: 'b+run-doomed@example.test', subject: '2' });
    await server.send({ to: 'a+run-kept@example.test', subject: '3' });
    const { status, body } = await api(server.baseUrl, '/api/v1/runs/doomed', { method: 'DELETE' });
    expect(status).toBe(200);
    expect(body).toEqual({ deleted: 2 });
    expect(await runMessages('doomed')).toBe(0);
    expect(await runMessages('kept')).toBe(1);
    const runs = (await api(server.baseUrl, '/api/v1/runs')).body.runs.map((r: { run: string }) => r.run);
    expect(runs).toEqual(['kept']);
  });

  it('answers 404 run_not_found for a run without messages', async () => {
    const { status, body } = await api(server.baseUrl, '/api/v1/runs/never', { method: 'DELETE' });
    expect(status).toBe(404);
    expect(body.error.code).toBe('run_not_found');
  });

  it('answers 400 for a run id that is too long', async () => {
    const { status, body } = await api(server.baseUrl, `/api/v1/runs/${'x'.repeat(201)}`, { method: 'DELETE' });
    expect(status).toBe(400);
    expect(body.error.message).toContain('run');
  });
});

describe('run TTL', () => {
  it('expires runs whose newest message is older than the TTL', async () => {
    await server.send({ to: 'a+run-old@example.test', subject: 'old' });
    await server.db.query(`UPDATE messages SET "receivedAt" = now() - interval '2 hours' WHERE run = 'old'`);
    await server.send({ to: 'a+run-fresh@example.test', subject: 'fresh' });
    const expired = await expireRuns({ pool: server.letterbox.database.pool, log: silentLogger }, 3_600_000);
    expect(expired).toEqual(['old']);
    expect(await runMessages('old')).toBe(0);
    expect(await runMessages('fresh')).toBe(1);
  });
});
