// IngestStats -> the JSON of GET /api/v1/stats.
import type { IngestStatsBody } from '@letterbox/contracts';
import { MAX_RUN_LABELS, splitRejectKey, type IngestStats } from './ingest-stats.ts';
import { LatencyHistogram } from './latency-histogram.ts';

function summary(h: LatencyHistogram) {
  const ms = (s: number | null) => (s === null ? null : Number.isFinite(s) ? s * 1000 : null);
  return { count: h.count, meanMs: h.count === 0 ? null : (h.sum / h.count) * 1000, p50Ms: ms(h.quantile(0.5)), p99Ms: ms(h.quantile(0.99)) };
}

export function summarizeStats(stats: IngestStats): IngestStatsBody {
  const runs = [...stats.runs.entries()].map(([run, s]) => ({
    run,
    messages: s.messages,
    bytes: s.bytes,
    rejects: [...s.rejects.entries()].map(([key, count]) => ({ ...splitRejectKey(key), count })),
    accept: summary(s.accept),
  }));
  const accept = new LatencyHistogram();
  for (const s of stats.runs.values()) {
    s.accept.counts.forEach((n, i) => (accept.counts[i]! += n));
    accept.count += s.accept.count;
    accept.sum += s.accept.sum;
  }
  return {
    startedAt: stats.startedAt.toISOString(),
    loadTestMode: stats.loadTestMode,
    activeConnections: stats.gauges.activeConnections(),
    pendingIngestBytes: stats.gauges.pendingIngestBytes(),
    messages: runs.reduce((n, r) => n + r.messages, 0),
    bytes: runs.reduce((n, r) => n + r.bytes, 0),
    rejects: runs.reduce((n, r) => n + r.rejects.reduce((m, x) => m + x.count, 0), 0),
    accept: summary(accept),
    commit: summary(stats.commit),
    commits: stats.commits,
    runLabelLimit: MAX_RUN_LABELS,
    runs,
  };
}
