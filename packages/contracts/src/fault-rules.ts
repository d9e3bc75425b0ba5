// Fault-injection rules (issue 7): what the API accepts and returns under /api/v1/fault-rules.
import { z } from 'zod';
import { idSchema, runSchema, timestampSchema } from './common.ts';

export const FAULT_STAGES = ['connect', 'ehlo', 'auth', 'mail_from', 'rcpt_to', 'data'] as const;
export const faultStageSchema = z.enum(FAULT_STAGES).meta({
  id: 'FaultStage',
  description:
    'SMTP stage the rule acts at: connect (before the greeting), ehlo (EHLO/HELO), auth (AUTH), mail_from (MAIL FROM), ' +
    'rcpt_to (each RCPT TO), data (end of DATA, after the whole message arrived and before it is stored).',
});
export type FaultStage = z.infer<typeof faultStageSchema>;

/** Stages at which no run is known yet: rules there are global. */
export const RUNLESS_FAULT_STAGES: readonly FaultStage[] = ['connect', 'ehlo'];
/** Longest injected delay: longer than any SMTP client timeout worth testing (nodemailer: 10 min socket). */
export const MAX_FAULT_DELAY_MS = 10 * 60_000;
/** Reply texts are one SMTP line; this keeps them well under the 512-octet reply line limit. */
export const MAX_FAULT_MESSAGE_LENGTH = 200;

export const faultReplySchema = z
  .object({
    code: z.number().int().min(400).max(599).meta({ description: 'SMTP reply code, 4xx (temporary) or 5xx (permanent).' }),
    enhancedStatus: z
      .string()
      .regex(/^[245]\.\d{1,3}\.\d{1,3}$/, 'must be an enhanced status code like 5.1.1')
      .optional()
      .meta({ description: 'RFC 3463 enhanced status; default: the usual one for the code (e.g. 550 -> 5.1.1 at RCPT).' }),
    message: z.string().min(1).max(MAX_FAULT_MESSAGE_LENGTH).regex(/^[^\r\n]*$/, 'must be one line').optional(),
  })
  .refine((r) => r.enhancedStatus === undefined || r.enhancedStatus[0] === String(r.code)[0], {
    message: 'enhancedStatus must have the same class as code (4.x.x with 4xx, 5.x.x with 5xx)',
  })
  .meta({ id: 'FaultReply' });

export const createFaultRuleSchema = z
  .object({
    stage: faultStageSchema,
    run: runSchema.nullable().default(null).meta({ description: 'Only sessions of this test run; null (default) = every session. Not allowed at connect/ehlo.' }),
    reply: faultReplySchema.nullable().default(null).meta({ description: 'Answer with this error instead of the normal reply.' }),
    delayMs: z.number().int().min(0).max(MAX_FAULT_DELAY_MS).default(0).meta({ description: 'Wait this long before replying (or before disconnecting).' }),
    disconnect: z.boolean().default(false).meta({ description: 'Drop the connection without a reply.' }),
    probability: z.number().min(0).max(1).default(1).meta({ description: 'Share of matching commands the rule acts on (default 1 = always).' }),
    seed: z.number().int().min(-2147483648).max(2147483647).default(0).meta({ description: 'Seed of the deterministic draw: the same seed gives the same sequence of hits and misses.' }),
  })
  .refine((r) => r.reply !== null || r.disconnect || r.delayMs > 0, { message: 'a rule needs a reply, a delay or disconnect' })
  .refine((r) => !(r.reply !== null && r.disconnect), { message: 'reply and disconnect exclude each other' })
  .refine((r) => r.run === null || !RUNLESS_FAULT_STAGES.includes(r.stage), { message: 'connect and ehlo rules are global (no run is known yet)' })
  .meta({
    id: 'CreateFaultRule',
    example: { stage: 'rcpt_to', run: 'ci-1234', reply: { code: 451, enhancedStatus: '4.3.0', message: 'Try again later' }, delayMs: 0, disconnect: false, probability: 0.5, seed: 7 },
  });
export type CreateFaultRule = z.input<typeof createFaultRuleSchema>;

export const faultRuleSchema = z
  .object({
    id: idSchema,
    stage: faultStageSchema,
    run: runSchema.nullable(),
    reply: z.object({ code: z.number().int(), enhancedStatus: z.string(), message: z.string() }).nullable(),
    delayMs: z.number().int(),
    disconnect: z.boolean(),
    probability: z.number(),
    seed: z.number().int(),
    createdAt: timestampSchema,
  })
  .meta({ id: 'FaultRule' });
export type FaultRule = z.infer<typeof faultRuleSchema>;

export const faultRuleListSchema = z.object({ rules: z.array(faultRuleSchema) }).meta({ id: 'FaultRuleList', description: 'Rules in creation order.' });
export type FaultRuleList = z.infer<typeof faultRuleListSchema>;

export const faultRulePathSchema = z.object({ id: idSchema });
