// The DATABASE_URL path against a second PostgreSQL that Letterbox did not start (Debian's
// PostgreSQL 15 on CI), instead of the embedded one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { startExternalPostgres, type ExternalPostgres } from '../helpers/external-postgres.ts';

describe('openDatabase with DATABASE_URL pointing at an external PostgreSQL', () => {
  let external: ExternalPostgres;
  beforeAll(async () => {
    external = await startExternalPostgres();
  });
  afterAll(async () => {
    await external?.stop();
  });

  it('migrates it, writes and reads through it, and leaves it running on close', async () => {
    const db = await openDatabase({ databaseUrl: external.url, dataDir: '/nonexistent/not-used' });
    try {
      expect(db.embedded).toBe(false);
      const { rows: version } = await db.pool.query<{ v: number }>(`SELECT current_setting('server_version_num')::int / 10000 AS v`);
      expect(version[0]!.v).toBe(external.version);
      const message = await db.prisma.message.create({
        data: { raw: Buffer.from('Subject: hi\r\n\r\nbody\r\n'), size: 21, sha256: 'a'.repeat(64), rcptTo: ['bob@example.test'] },
      });
      const stored = await db.prisma.message.findUniqueOrThrow({ where: { id: message.id } });
      expect(Buffer.from(stored.raw).toString()).toBe('Subject: hi\r\n\r\nbody\r\n');
      expect(stored.rcptTo).toEqual(['bob@example.test']);
    } finally {
      await db.close();
    }

    const again = await openDatabase({ databaseUrl: external.url, dataDir: '/nonexistent/not-used' });
    try {
      const { rows } = await again.pool.query('SELECT count(*)::int AS n FROM _prisma_migrations');
      const { rows: messages } = await again.pool.query('SELECT count(*)::int AS n FROM messages');
      expect({ migrations: rows[0].n > 0, messages: messages[0].n }).toEqual({ migrations: true, messages: 1 });
      // Debian's PostgreSQL is built with lz4, so the hand-written migration takes that branch.
      const { rows: column } = await again.pool.query(
        `SELECT attcompression::text AS c FROM pg_attribute WHERE attrelid = 'messages'::regclass AND attname = 'raw'`,
      );
      expect(column).toEqual([{ c: 'l' }]);
    } finally {
      await again.close();
    }
  });
});
