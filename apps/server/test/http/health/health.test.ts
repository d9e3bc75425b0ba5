import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkReadiness } from '../../../src/domain/check-readiness.ts';
import { api, startApiServer, type ApiServer } from '../support/api-server.ts';

let server: ApiServer;
beforeAll(async () => {
  server = await startApiServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('GET /healthz', () => {
  it('answers ok', async () => {
    expect(await api(server.baseUrl, '/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });
});

describe('GET /readyz', () => {
  it('is ready with the database reachable and migrated', async () => {
    expect(await api(server.baseUrl, '/readyz')).toMatchObject({ status: 200, body: { status: 'ready', database: true, migrations: true } });
  });

  it('is not ready when a migration of this build is missing from the database', async () => {
    const last = await server.db.query<{ id: string }>('SELECT id FROM _prisma_migrations ORDER BY migration_name DESC LIMIT 1');
    await server.db.query("UPDATE _prisma_migrations SET rolled_back_at = now() WHERE id = $1", [last.rows[0]!.id]);
    try {
      expect(await api(server.baseUrl, '/readyz')).toMatchObject({ status: 503, body: { status: 'not_ready', database: true, migrations: false } });
    } finally {
      await server.db.query('UPDATE _prisma_migrations SET rolled_back_at = NULL WHERE id = $1', [last.rows[0]!.id]);
    }
  });

  it('is not ready when the database is unreachable', async () => {
    // A pool pointing at a port nothing listens on: the readiness check reports the database down.
    const unreachable = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none', connectionTimeoutMillis: 1_000 });
    unreachable.on('error', () => {});
    try {
      expect(await checkReadiness(unreachable)).toEqual({ status: 'not_ready', database: false, migrations: false });
    } finally {
      await unreachable.end();
    }
  });
});
