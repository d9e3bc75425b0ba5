import { z } from 'zod';

export const healthSchema = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });
export const readinessSchema = z
  .object({ status: z.enum(['ready', 'not_ready']), database: z.boolean(), migrations: z.boolean() })
  .meta({ id: 'Readiness' });
export type Readiness = z.infer<typeof readinessSchema>;
