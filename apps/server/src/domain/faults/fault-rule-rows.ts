// fault_rules rows <-> the API's FaultRule, shared by the use cases and the per-node cache.
import type { FaultRule, FaultStage } from '@letterbox/contracts';
import { faultReply } from './fault-action.ts';

/** Rule changes are announced here (not on letterbox_events, which carries every delivery). */
export const FAULT_RULES_CHANNEL = 'letterbox_fault_rules';

export const FAULT_RULE_COLUMNS =
  'id, run, stage, "replyCode", "enhancedStatus", "replyMessage", "delayMs", disconnect, probability, seed, "createdAt"';

export interface FaultRuleRow {
  id: string;
  run: string | null;
  stage: FaultStage;
  replyCode: number | null;
  enhancedStatus: string | null;
  replyMessage: string | null;
  delayMs: number;
  disconnect: boolean;
  probability: number;
  seed: number;
  createdAt: Date;
}

export function toFaultRule(row: FaultRuleRow): FaultRule {
  const reply = row.replyCode === null ? null : faultReply(row.replyCode, row.enhancedStatus, row.replyMessage, `rule ${row.id}`);
  return {
    id: row.id,
    stage: row.stage,
    run: row.run,
    reply,
    delayMs: row.delayMs,
    disconnect: row.disconnect,
    probability: row.probability,
    seed: row.seed,
    createdAt: row.createdAt.toISOString(),
  };
}
