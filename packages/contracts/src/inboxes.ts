import { z } from 'zod';
import { limitParam, runSchema, timestampSchema } from './common.ts';

export const listInboxesQuerySchema = z.object({
  address: z.string().min(1).max(320).optional().meta({ description: 'Address contains this (case-insensitive).' }),
  run: runSchema.optional().meta({ description: 'Only addresses that received mail in this run; counts are of that run.' }),
  limit: limitParam,
  cursor: z.string().min(1).max(400).optional().meta({ description: 'nextCursor of the previous page.' }),
});

export const inboxSchema = z
  .object({
    address: z.string(),
    messageCount: z.number().int(),
    lastReceivedAt: timestampSchema.nullable(),
  })
  .meta({ id: 'Inbox', example: { address: 'bob@example.test', messageCount: 3, lastReceivedAt: '2026-11-22T03:00:00.000Z' } });
export type Inbox = z.infer<typeof inboxSchema>;

export const inboxPageSchema = z
  .object({ inboxes: z.array(inboxSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'InboxPage', description: 'Addresses in ascending order.' });
export type InboxPage = z.infer<typeof inboxPageSchema>;
