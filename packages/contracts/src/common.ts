import { z } from 'zod';

/** int8 ids travel as decimal strings: JavaScript numbers lose precision past 2^53. */
export const idSchema = z.string().regex(/^\d{1,19}$/, 'must be a decimal message id');

export const timestampSchema = z.iso.datetime({ offset: true }).meta({ example: '2026-11-22T03:00:00.000Z' });

export const addressSchema = z
  .object({ name: z.string(), address: z.string() })
  .meta({ id: 'Address', example: { name: 'Alice', address: 'alice@example.test' } });
export type Address = z.infer<typeof addressSchema>;

/** Longest run id the server keeps (find-test-run.ts cuts longer ones). */
export const MAX_RUN_LENGTH = 200;
export const runSchema = z.string().min(1).max(MAX_RUN_LENGTH);

/** Query-string booleans: `true`/`false` (also `1`/`0`). */
export const booleanParam = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

/** Page sizes are bounded so a page is always cheap; larger values are a 400, not a silent cut. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;
export const limitParam = z.coerce
  .number()
  .int()
  .min(1)
  .max(MAX_PAGE_SIZE)
  .default(DEFAULT_PAGE_SIZE)
  .meta({ description: `Page size, 1-${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).` });
