// GET /fault-rules: every rule, in creation order.
import type { FaultRule } from '@letterbox/contracts';
import type pg from 'pg';
import { FAULT_RULE_COLUMNS, toFaultRule, type FaultRuleRow } from './fault-rule-rows.ts';

export async function listFaultRules(pool: pg.Pool): Promise<FaultRule[]> {
  const result = await pool.query<FaultRuleRow>(`SELECT ${FAULT_RULE_COLUMNS} FROM fault_rules ORDER BY id`);
  return result.rows.map(toFaultRule);
}
