// One fault-injection rule as a sentence for the rules view ("RCPT TO of run ci-1: 451 4.3.0 ...").
import type { FaultRule, FaultStage } from '@letterbox/contracts';

export const STAGE_LABELS: Record<FaultStage, string> = {
  connect: 'Connect',
  ehlo: 'EHLO/HELO',
  auth: 'AUTH',
  mail_from: 'MAIL FROM',
  rcpt_to: 'RCPT TO',
  data: 'End of DATA',
};

function duration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

export function describeFaultRule(rule: Pick<FaultRule, 'stage' | 'run' | 'reply' | 'delayMs' | 'disconnect' | 'probability'>): string {
  const scope = `${STAGE_LABELS[rule.stage]}${rule.run === null ? ', every session' : `, run ${rule.run}`}`;
  const actions: string[] = [];
  if (rule.delayMs > 0) actions.push(`wait ${duration(rule.delayMs)}`);
  if (rule.reply) actions.push(`answer ${rule.reply.code} ${rule.reply.enhancedStatus} ${rule.reply.message}`);
  else if (rule.disconnect) actions.push('drop the connection');
  else actions.push('then proceed normally');
  const chance = rule.probability >= 1 ? '' : ` (${Math.round(rule.probability * 1000) / 10}% of commands)`;
  return `${scope}: ${actions.join(', ')}${chance}`;
}
