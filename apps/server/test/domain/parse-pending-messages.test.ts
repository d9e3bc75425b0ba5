// The background parser claims batches with a keyset cursor; messages it passed over (locked by
// someone else, or committed after it had moved past their id) are still parsed.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.ts';
import { startPendingMessageParser } from '../../src/domain/messages/parse-pending-messages.ts';
import { useTestDatabasePool } from '../helpers/database.ts';

const db = useTestDatabasePool(4);

async function insertPending(client: pg.ClientBase, subjects: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const subject of subjects) {
    const raw = Buffer.from(`Subject: ${subject}\r\n\r\nbody\r\n`);
    const row = await client.query<{ id: string }>(
      `INSERT INTO messages (raw, size, sha256, "rcptTo", "references") VALUES ($1, $2, $3, '{}', '{}') RETURNING id`,
      [raw, raw.length, createHash('sha256').update(raw).digest('hex')],
    );
    ids.push(row.rows[0]!.id);
  }
  return ids;
}

async function states(): Promise<Map<string, string>> {
  const rows = await db.pool.query<{ id: string; parseState: string; subject: string | null }>('SELECT id, "parseState", subject FROM messages ORDER BY id');
  return new Map(rows.rows.map((r) => [r.id, `${r.parseState}:${r.subject}`]));
}

async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await condition()); i++) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('background parser', () => {
  it('parses messages it skipped or that committed behind its cursor', async () => {
    // 150 messages: more than two batches. The 3rd is locked by another transaction, so the first
    // pass skips it; a message with an id below the cursor commits while the parser is running.
    const first = await insertPending(db.pool as unknown as pg.ClientBase, Array.from({ length: 150 }, (_, i) => `m${i}`));
    const locker = await db.pool.connect();
    const late = await db.pool.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('SELECT 1 FROM messages WHERE id = $1 FOR UPDATE', [first[2]]);
      // Takes its id now, commits later: its id is below everything inserted after it.
      await late.query('BEGIN');
      const [lateId] = await insertPending(late, ['late']);
      const after = await insertPending(db.pool as unknown as pg.ClientBase, Array.from({ length: 70 }, (_, i) => `n${i}`));

      const parser = startPendingMessageParser({ pool: db.pool, log: silentLogger, sweepIntervalMs: 60_000 });
      try {
        await until(() => allParsed([...first.slice(3), ...after]));
        expect(await allParsed([...first.slice(3), ...after])).toBe(true);
        expect((await states()).get(first[2]!)).toBe('pending:null');

        await late.query('COMMIT');
        await locker.query('COMMIT');
        // Both now lie behind where the first pass got to.
        await parser.whenIdle();
        const all = await states();
        expect(all.get(first[2]!)).toBe('parsed:m2');
        expect(all.get(lateId!)).toBe('parsed:late');
        expect([...all.values()].filter((s) => !s.startsWith('parsed:'))).toEqual([]);
        expect(all.size).toBe(221);
      } finally {
        await parser.stop();
      }
    } finally {
      locker.release();
      late.release();
    }
  });
});

async function allParsed(ids: string[]): Promise<boolean> {
  const rows = await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM messages WHERE id = ANY($1::bigint[]) AND "parseState" = 'parsed'`, [ids]);
  return Number(rows.rows[0]!.n) === ids.length;
}
