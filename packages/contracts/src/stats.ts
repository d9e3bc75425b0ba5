// Ingest statistics of one node (GET /api/v1/stats); the same numbers as /metrics.
import { z } from 'zod';
import { timestampSchema } from './common.ts';

export const latencySummarySchema = z
  .object({
    count: z.number().int(),
    meanMs: z.number().nullable(),
    p50Ms: z.number().nullable().meta({ description: 'Upper bound of the histogram bucket holding the median; null without observations.' }),
    p99Ms: z.number().nullable(),
  })
  .meta({ id: 'LatencySummary' });

export const rejectCountSchema = z.object({
  stage: z.string(),
  reason: z.enum(['fault', 'fault_disconnect', 'storage']),
  count: z.number().int(),
});

export const runStatsSchema = z
  .object({
    run: z.string().meta({ description: 'Run id, "(none)" for mail without a run, "(other)" for runs past the per-node label limit.' }),
    messages: z.number().int(),
    bytes: z.number().int(),
    rejects: z.array(rejectCountSchema),
    accept: latencySummarySchema,
  })
  .meta({ id: 'RunStats' });

export const ingestStatsSchema = z
  .object({
    startedAt: timestampSchema,
    loadTestMode: z.boolean(),
    activeConnections: z.number().int(),
    pendingIngestBytes: z.number().int(),
    messages: z.number().int().meta({ description: 'Acknowledged (committed) messages since this node started.' }),
    bytes: z.number().int(),
    rejects: z.number().int(),
    accept: latencySummarySchema.meta({ description: 'End of DATA to the commit that acknowledges the message.' }),
    commit: latencySummarySchema.meta({ description: 'One group-commit transaction.' }),
    commits: z.number().int(),
    runLabelLimit: z.number().int(),
    runs: z.array(runStatsSchema),
  })
  .meta({ id: 'IngestStats', description: "This node's numbers since it started (each node counts its own; add them up across nodes)." });
export type IngestStatsBody = z.infer<typeof ingestStatsSchema>;
