// Ingest statistics of this node (issue 7): messages and bytes acknowledged, rejects, SMTP accept
// latency (end of DATA -> the commit that acknowledges it) by run, commit latency, plus gauges
// read at scrape time. Served as JSON (/api/v1/stats) and in the Prometheus text format (/metrics).
//
// Runs are unlimited (every CI job may bring a new one) but label values must not be: the first
// MAX_RUN_LABELS runs seen since start get their own series, later ones are added up under
// OTHER_RUNS and mail without a run under NO_RUN. Memory is bounded by that, not by traffic.
import { LatencyHistogram } from './latency-histogram.ts';

/**
 * Distinct run labels per node. Each costs ~20 series (counters + histogram buckets); 100 runs keep
 * a scrape around 2,000 series, which Prometheus handles comfortably per target.
 */
export const MAX_RUN_LABELS = 100;
export const NO_RUN = '(none)';
export const OTHER_RUNS = '(other)';

export type RejectReason = 'fault' | 'fault_disconnect' | 'storage';

export interface RunStats {
  messages: number;
  bytes: number;
  rejects: Map<string, number>;
  accept: LatencyHistogram;
}

export interface Gauges {
  activeConnections(): number;
  pendingIngestBytes(): number;
  /** Time messages waited for retention (retention-backpressure.ts), summed. */
  retentionHeldSeconds(): number;
}

export class IngestStats {
  readonly startedAt = new Date();
  constructor(readonly loadTestMode = false) {}
  readonly runs = new Map<string, RunStats>();
  readonly commit = new LatencyHistogram();
  commits = 0;
  committedMessages = 0;
  faultDelays = new Map<string, number>();
  private ownRunLabels = 0;
  gauges: Gauges = { activeConnections: () => 0, pendingIngestBytes: () => 0, retentionHeldSeconds: () => 0 };

  /** The label a run's numbers are kept under (the cap applies here). */
  runLabel(run: string | null): string {
    if (run === null) return NO_RUN;
    if (this.runs.has(run)) return run;
    return this.ownRunLabels < MAX_RUN_LABELS ? run : OTHER_RUNS;
  }

  private statsOf(run: string | null): RunStats {
    const label = this.runLabel(run);
    let stats = this.runs.get(label);
    if (!stats) {
      stats = { messages: 0, bytes: 0, rejects: new Map(), accept: new LatencyHistogram() };
      this.runs.set(label, stats);
      if (label !== NO_RUN && label !== OTHER_RUNS) this.ownRunLabels++;
    }
    return stats;
  }

  accepted(run: string | null, bytes: number, seconds: number): void {
    const stats = this.statsOf(run);
    stats.messages++;
    stats.bytes += bytes;
    stats.accept.observe(seconds);
  }

  rejected(run: string | null, stage: string, reason: RejectReason): void {
    const rejects = this.statsOf(run).rejects;
    const key = `${stage}\u0000${reason}`;
    rejects.set(key, (rejects.get(key) ?? 0) + 1);
  }

  delayed(stage: string): void {
    this.faultDelays.set(stage, (this.faultDelays.get(stage) ?? 0) + 1);
  }

  committed(messages: number, seconds: number): void {
    this.commits++;
    this.committedMessages += messages;
    this.commit.observe(seconds);
  }
}

export function splitRejectKey(key: string): { stage: string; reason: RejectReason } {
  const [stage, reason] = key.split('\u0000');
  return { stage: stage!, reason: reason as RejectReason };
}
