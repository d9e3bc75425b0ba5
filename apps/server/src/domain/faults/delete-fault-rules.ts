// DELETE /fault-rules[?run=]: remove every rule (or every rule of one run) - the end of a test.
import type pg from 'pg';
import { FAULT_RULES_CHANNEL } from './fault-rule-rows.ts';

export async function deleteFaultRules(pool: pg.Pool, run: string | undefined): Promise<number> {
  const result = await pool.query<{ deleted: number }>(
    `WITH deleted AS (DELETE FROM fault_rules WHERE $1::text IS NULL OR run = $1 RETURNING id)
     SELECT count(*)::int AS deleted, pg_notify($2, 'bulk') FROM deleted HAVING count(*) > 0`,
    [run ?? null, FAULT_RULES_CHANNEL],
  );
  return result.rows[0]?.deleted ?? 0;
}
