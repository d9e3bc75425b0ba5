import { z } from 'zod';
import { limitParam, runSchema, timestampSchema } from './common.ts';

export const listRunsQuerySchema = z.object({
  limit: limitParam,
  cursor: runSchema.optional().meta({ description: 'nextCursor of the previous page.' }),
});

export const testRunSchema = z
  .object({
    run: runSchema,
    messageCount: z.number().int(),
    firstReceivedAt: timestampSchema,
    lastReceivedAt: timestampSchema,
    expiresAt: timestampSchema.nullable().meta({ description: 'When the run is deleted (last message + --run-ttl); null without a TTL.' }),
  })
  .meta({ id: 'TestRun', example: { run: 'ci-1234', messageCount: 2, firstReceivedAt: '2026-11-22T03:00:00.000Z', lastReceivedAt: '2026-11-22T03:00:05.000Z', expiresAt: null } });
export type TestRun = z.infer<typeof testRunSchema>;

export const runPageSchema = z
  .object({ runs: z.array(testRunSchema), nextCursor: runSchema.nullable() })
  .meta({ id: 'RunPage', description: 'Runs in ascending order of name.' });
export type RunPage = z.infer<typeof runPageSchema>;

export const runPathSchema = z.object({ run: runSchema });
