// DELETE /fault-rules/:id: remove one rule and announce it; false when there was no such rule.
import type pg from 'pg';
import { FAULT_RULES_CHANNEL } from './fault-rule-rows.ts';

export async function deleteFaultRule(pool: pg.Pool, id: string): Promise<boolean> {
  const result = await pool.query(
    `WITH deleted AS (DELETE FROM fault_rules WHERE id = $1::bigint RETURNING id)
     SELECT pg_notify($2, deleted.id::text) FROM deleted`,
    [id, FAULT_RULES_CHANNEL],
  );
  return (result.rowCount ?? 0) > 0;
}
