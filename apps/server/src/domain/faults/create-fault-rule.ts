// POST /fault-rules: store a rule and announce it to every node in the same statement (the
// NOTIFY is delivered at COMMIT, so no node reloads before the row is visible).
import type { FaultRule, FaultStage } from '@letterbox/contracts';
import type pg from 'pg';
import { FAULT_RULE_COLUMNS, FAULT_RULES_CHANNEL, toFaultRule, type FaultRuleRow } from './fault-rule-rows.ts';

export interface NewFaultRule {
  stage: FaultStage;
  run: string | null;
  reply: { code: number; enhancedStatus?: string; message?: string } | null;
  delayMs: number;
  disconnect: boolean;
  probability: number;
  seed: number;
}

export async function createFaultRule(pool: pg.Pool, rule: NewFaultRule): Promise<FaultRule> {
  const result = await pool.query<FaultRuleRow>(
    `WITH inserted AS (
       INSERT INTO fault_rules (run, stage, "replyCode", "enhancedStatus", "replyMessage", "delayMs", disconnect, probability, seed)
       VALUES ($1, $2::fault_stage, $3, $4, $5, $6, $7, $8, $9)
       RETURNING ${FAULT_RULE_COLUMNS}
     )
     SELECT inserted.*, pg_notify($10, inserted.id::text) FROM inserted`,
    [
      rule.run, rule.stage, rule.reply?.code ?? null, rule.reply?.enhancedStatus ?? null, rule.reply?.message ?? null,
      rule.delayMs, rule.disconnect, rule.probability, rule.seed, FAULT_RULES_CHANNEL,
    ],
  );
  return toFaultRule(result.rows[0]!);
}
