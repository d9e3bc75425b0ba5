// A fixed-bucket latency histogram (Prometheus semantics: cumulative `le` buckets, sum, count).
// Constant memory whatever the traffic; quantiles are estimated as the upper bound of the bucket
// they fall in.

/**
 * Seconds. From 1 ms (an idle server's commit) to 10 s (a database that fell far behind; past it
 * every sender is in trouble anyway); roughly x2-x2.5 steps keep quantile estimates within that factor.
 */
export const LATENCY_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

export class LatencyHistogram {
  /** counts[i] = observations in (bucket[i-1], bucket[i]]; the last slot is +Inf. */
  readonly counts = new Array<number>(LATENCY_BUCKETS_SECONDS.length + 1).fill(0);
  count = 0;
  sum = 0;

  observe(seconds: number): void {
    let i = 0;
    while (i < LATENCY_BUCKETS_SECONDS.length && seconds > LATENCY_BUCKETS_SECONDS[i]!) i++;
    this.counts[i]!++;
    this.count++;
    this.sum += seconds;
  }

  /** Upper bound (seconds) of the bucket holding quantile q; Infinity past the last bucket; null when empty. */
  quantile(q: number): number | null {
    if (this.count === 0) return null;
    const rank = Math.ceil(q * this.count);
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return i < LATENCY_BUCKETS_SECONDS.length ? LATENCY_BUCKETS_SECONDS[i]! : Infinity;
    }
    return Infinity;
  }
}
