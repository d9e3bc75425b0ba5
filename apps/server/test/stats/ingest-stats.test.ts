import { describe, expect, it } from 'vitest';
import { IngestStats, MAX_RUN_LABELS, NO_RUN, OTHER_RUNS } from '../../src/domain/stats/ingest-stats.ts';
import { LatencyHistogram } from '../../src/domain/stats/latency-histogram.ts';
import { prometheusText } from '../../src/domain/stats/prometheus-text.ts';

describe('latency histogram', () => {
  it('counts into the right bucket and estimates quantiles by bucket upper bound', () => {
    const h = new LatencyHistogram();
    for (let i = 0; i < 98; i++) h.observe(0.003);
    h.observe(0.2);
    h.observe(30);
    expect(h.count).toBe(100);
    expect(h.quantile(0.5)).toBe(0.005);
    expect(h.quantile(0.99)).toBe(0.25);
    expect(h.quantile(1)).toBe(Infinity);
    expect(new LatencyHistogram().quantile(0.5)).toBeNull();
  });
});

describe('ingest stats', () => {
  it(`keeps at most ${MAX_RUN_LABELS} run labels; later runs add up under ${OTHER_RUNS}`, () => {
    const stats = new IngestStats();
    for (let r = 0; r < MAX_RUN_LABELS + 50; r++) stats.accepted(`run-${r}`, 10, 0.001);
    stats.accepted(null, 5, 0.001);
    stats.accepted('run-0', 10, 0.001);
    expect(stats.runs.size).toBe(MAX_RUN_LABELS + 2);
    expect(stats.runs.get(OTHER_RUNS)!.messages).toBe(50);
    expect(stats.runs.get(NO_RUN)!.bytes).toBe(5);
    expect(stats.runs.get('run-0')!.messages).toBe(2);
    expect(stats.runLabel(`run-${MAX_RUN_LABELS + 10}`)).toBe(OTHER_RUNS);
  });

  it('writes the Prometheus text format with escaped labels and cumulative buckets', () => {
    const stats = new IngestStats();
    stats.accepted('a"b\\c', 100, 0.002);
    stats.accepted('a"b\\c', 100, 0.02);
    stats.rejected('x', 'rcpt_to', 'fault');
    stats.committed(2, 0.004);
    const text = prometheusText(stats);
    expect(text).toContain('letterbox_smtp_messages_accepted_total{run="a\\"b\\\\c"} 2');
    expect(text).toContain('letterbox_smtp_accept_duration_seconds_bucket{run="a\\"b\\\\c",le="0.0025"} 1');
    expect(text).toContain('letterbox_smtp_accept_duration_seconds_bucket{run="a\\"b\\\\c",le="0.025"} 2');
    expect(text).toContain('letterbox_smtp_accept_duration_seconds_bucket{run="a\\"b\\\\c",le="+Inf"} 2');
    expect(text).toContain('letterbox_smtp_rejects_total{stage="rcpt_to",reason="fault",run="x"} 1');
    expect(text).toContain('letterbox_ingest_commit_duration_seconds_count 1');
    for (const line of text.trimEnd().split('\n')) {
      expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+(\{[^}]*\})? (\d+(\.\d+)?(e[-+]?\d+)?|\+Inf))$/);
    }
  });
});
