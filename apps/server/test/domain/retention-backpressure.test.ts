// The live-message estimate behind retention backpressure, on a real database: gaps in the live
// ids (API deletions) must not hold ingest, and what a node admitted counts until its next reading.
import { expect, it } from 'vitest';
import { RetentionBackpressure } from '../../src/domain/messages/retention-backpressure.ts';
import { useTestDatabasePool } from '../helpers/database.ts';

const db = useTestDatabasePool(2);

it('admits up to the ceiling counting live messages, not the span of their ids', async () => {
  // 300 ids, 100 of them live (every third): the id span says 300, over the ceiling of 150.
  await db.pool.query(`INSERT INTO messages (raw, size, sha256, "rcptTo", "deletedAt")
    SELECT '\\x00'::bytea, 1, repeat('0', 64), ARRAY['a@x'], CASE WHEN g % 3 <> 0 THEN now() END FROM generate_series(1, 300) g`);
  const gate = new RetentionBackpressure(db.pool, 50);
  expect(gate.ceiling).toBe(150);
  const admitted: (() => void)[] = [];
  for (let i = 0; i < 50; i++) admitted.push(await gate.admit());
  expect(gate.heldSeconds).toBe(0);
  // The 51st would make 151 live: it waits until retention (here: an UPDATE) frees room.
  const next = gate.admit();
  await db.pool.query(`UPDATE messages SET "deletedAt" = now() WHERE id IN (SELECT id FROM messages WHERE "deletedAt" IS NULL ORDER BY id LIMIT 10)`);
  admitted.push(await next);
  for (const settle of admitted) settle();
  expect(gate.heldSeconds).toBeGreaterThan(0);
});
