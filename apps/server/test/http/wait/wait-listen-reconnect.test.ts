// Notifications sent while the node's LISTEN connection is down are lost; when it comes back,
// every open wait runs its query again, so a message committed meanwhile still ends the wait.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { api, startApiServer, type ApiServer } from '../support/api-server.ts';

let server: ApiServer;
beforeAll(async () => {
  server = await startApiServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('a wait across a lost LISTEN connection', () => {
  it('is satisfied by a message whose notification was lost', async () => {
    const pending = api(server.baseUrl, '/api/v1/messages/wait?run=gap-run&timeout=20000');
    await vi.waitFor(() => expect(server.http.waiterCount()).toBe(1), { timeout: 10_000, interval: 5 });
    // A commit whose NOTIFY never arrives (as when it is sent while the connection is down).
    const raw = Buffer.from('Subject: lost notification\r\n\r\nx\r\n');
    const inserted = await server.db.query<{ id: string }>(
      `INSERT INTO messages (raw, size, sha256, "mailFrom", "rcptTo", run, "references")
       VALUES ($1, $2, repeat('0', 64), 'a@example.test', ARRAY['gap@example.test'], 'gap-run', '{}') RETURNING id`,
      [raw, raw.length],
    );
    // Cut every LISTEN connection of this database (the API's hub and IMAP's); they reconnect.
    const killed = await server.db.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'`,
    );
    expect(killed.rowCount).toBeGreaterThan(0);
    const { status, body } = await pending;
    expect(status).toBe(200);
    expect(body.messages.map((m: { id: string }) => m.id)).toEqual([inserted.rows[0]!.id]);
  });
});
