// IngestStats in the Prometheus text exposition format (version 0.0.4), written by hand: a few
// counters, gauges and histograms do not need a metrics library.
import { splitRejectKey, type IngestStats } from './ingest-stats.ts';
import { LATENCY_BUCKETS_SECONDS, type LatencyHistogram } from './latency-histogram.ts';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

function label(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}

function labels(pairs: Record<string, string>): string {
  const entries = Object.entries(pairs);
  return entries.length === 0 ? '' : `{${entries.map(([k, v]) => `${k}="${label(v)}"`).join(',')}}`;
}

class Writer {
  readonly lines: string[] = [];
  family(name: string, type: 'counter' | 'gauge' | 'histogram', help: string): void {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  }
  sample(name: string, pairs: Record<string, string>, value: number): void {
    this.lines.push(`${name}${labels(pairs)} ${Number.isFinite(value) ? value : '+Inf'}`);
  }
  histogram(name: string, pairs: Record<string, string>, h: LatencyHistogram): void {
    let cumulative = 0;
    LATENCY_BUCKETS_SECONDS.forEach((le, i) => {
      cumulative += h.counts[i]!;
      this.sample(`${name}_bucket`, { ...pairs, le: String(le) }, cumulative);
    });
    this.sample(`${name}_bucket`, { ...pairs, le: '+Inf' }, h.count);
    this.sample(`${name}_sum`, pairs, h.sum);
    this.sample(`${name}_count`, pairs, h.count);
  }
}

export function prometheusText(stats: IngestStats): string {
  const w = new Writer();
  const runs = [...stats.runs.entries()];
  w.family('letterbox_smtp_messages_accepted_total', 'counter', 'Messages acknowledged with 250 after their commit, by run (capped, see (other)).');
  for (const [run, s] of runs) w.sample('letterbox_smtp_messages_accepted_total', { run }, s.messages);
  w.family('letterbox_smtp_bytes_accepted_total', 'counter', 'Bytes of acknowledged messages as stored, by run.');
  for (const [run, s] of runs) w.sample('letterbox_smtp_bytes_accepted_total', { run }, s.bytes);
  w.family('letterbox_smtp_rejects_total', 'counter', 'SMTP commands answered with an error or a dropped connection, by stage, reason (fault, fault_disconnect, storage) and run.');
  for (const [run, s] of runs) {
    for (const [key, n] of s.rejects) w.sample('letterbox_smtp_rejects_total', { ...splitRejectKey(key), run }, n);
  }
  w.family('letterbox_smtp_fault_delays_total', 'counter', 'SMTP replies delayed by fault injection, by stage.');
  for (const [stage, n] of stats.faultDelays) w.sample('letterbox_smtp_fault_delays_total', { stage }, n);
  w.family('letterbox_smtp_accept_duration_seconds', 'histogram', 'End of DATA to the commit that acknowledges the message (the wait before the 250), by run.');
  for (const [run, s] of runs) w.histogram('letterbox_smtp_accept_duration_seconds', { run }, s.accept);
  w.family('letterbox_ingest_commit_duration_seconds', 'histogram', 'Duration of one group-commit transaction (BEGIN to COMMIT, retries included).');
  w.histogram('letterbox_ingest_commit_duration_seconds', {}, stats.commit);
  w.family('letterbox_ingest_commits_total', 'counter', 'Group-commit transactions.');
  w.sample('letterbox_ingest_commits_total', {}, stats.commits);
  w.family('letterbox_ingest_committed_messages_total', 'counter', 'Messages stored by those transactions (all runs).');
  w.sample('letterbox_ingest_committed_messages_total', {}, stats.committedMessages);
  w.family('letterbox_smtp_active_connections', 'gauge', 'Open SMTP connections on this node.');
  w.sample('letterbox_smtp_active_connections', {}, stats.gauges.activeConnections());
  w.family('letterbox_ingest_pending_bytes', 'gauge', 'Received message bytes waiting for or inside a commit (SMTP stops reading past 64 MiB).');
  w.sample('letterbox_ingest_pending_bytes', {}, stats.gauges.pendingIngestBytes());
  w.family('letterbox_ingest_retention_held_seconds_total', 'counter', 'Time messages on this node waited because the store was above the retention message limit plus its slack.');
  w.sample('letterbox_ingest_retention_held_seconds_total', {}, stats.gauges.retentionHeldSeconds());
  w.family('letterbox_process_resident_memory_bytes', 'gauge', 'Resident set size of this process.');
  w.sample('letterbox_process_resident_memory_bytes', {}, process.memoryUsage.rss());
  w.family('letterbox_stats_run_labels', 'gauge', 'Run labels in use (at most 100 plus (none) and (other)).');
  w.sample('letterbox_stats_run_labels', {}, runs.length);
  return w.lines.join('\n') + '\n';
}
