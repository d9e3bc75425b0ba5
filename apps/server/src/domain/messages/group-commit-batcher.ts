// Group commit: messages that arrive while a transaction is committing are stored together in
// the next one, so one fsync acknowledges many messages (ENVIRONMENT.md: 100 rows per commit
// roughly triples small-message throughput over one commit per message). There is no timer: an
// idle server commits a lone message at once (no added latency); under load the batches grow by
// themselves up to the limits below. Every submitter's promise settles only after the COMMIT
// holding its item (DESIGN invariant 1), or rejects when that transaction failed.

export interface GroupCommitLimits {
  /** Items per transaction. */
  maxBatchItems: number;
  /** Sum of item sizes per transaction. */
  maxBatchBytes: number;
  /** Transactions in flight at once. */
  maxConcurrentCommits: number;
}

export const DEFAULT_GROUP_COMMIT_LIMITS: GroupCommitLimits = {
  // 256 messages keep the NOTIFY of their ids within one payload.
  maxBatchItems: 256,
  // 4 MiB of raw bytes per transaction (80 messages of 50 KB): past a few dozen messages a
  // bigger batch saves no fsyncs worth having, while the whole batch is encoded into one COPY
  // message (binary-copy-in.ts), so this bounds that transient memory (the RSS budget is 300 MB).
  // A single bigger message still goes alone.
  maxBatchBytes: 4 * 1024 * 1024,
  // Every transaction takes the delivery counter's row lock, so transactions serialise on it. A
  // second one in flight only waited at that lock: with one, everything that arrives during a
  // commit goes into the next batch, batches are twice as large, and the pinned 2 KB benchmark
  // used about 11 % less CPU per message (Node and PostgreSQL both; lower in 6 of 8 alternating
  // pairs, equal in 1; bench/RESULTS.md).
  maxConcurrentCommits: 1,
};

interface Pending<T, R> {
  item: T;
  size: number;
  resolve(result: R): void;
  reject(error: unknown): void;
}

export class GroupCommitBatcher<T, R> {
  private readonly queue: Pending<T, R>[] = [];
  private inFlight = 0;
  /** Sum of item sizes queued or inside a transaction. */
  private bytes = 0;
  private drainWaiters: { below: number; wake(): void }[] = [];
  private scheduled = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    /** Stores the items in one transaction; results in item order. Throwing fails them all. */
    private readonly commit: (items: T[]) => Promise<R[]>,
    private readonly sizeOf: (item: T) => number,
    private readonly limits: GroupCommitLimits = DEFAULT_GROUP_COMMIT_LIMITS,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const size = this.sizeOf(item);
      this.bytes += size;
      this.queue.push({ item, size, resolve, reject });
      this.schedule();
    });
  }

  /** Bytes queued or being committed. */
  get pendingBytes(): number {
    return this.bytes;
  }

  /** Resolves once pendingBytes is at most `below` (backpressure for producers). */
  whenPendingBytesBelow(below: number): Promise<void> {
    if (this.bytes <= below) return Promise.resolve();
    return new Promise((wake) => this.drainWaiters.push({ below, wake }));
  }

  /** Items waiting for a transaction plus those inside one. */
  get pending(): number {
    return this.queue.length + this.inFlight;
  }

  /** Resolves once nothing is queued or committing (graceful shutdown). */
  whenIdle(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.limits.maxConcurrentCommits) return;
    this.scheduled = true;
    // setImmediate, not a timer: gathers everything that arrived in the same event-loop turn
    // (pipelined clients finish DATA together) without waiting a fixed window.
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.queue.length > 0 && this.inFlight < this.limits.maxConcurrentCommits) {
      const batch = this.takeBatch();
      this.inFlight++;
      void this.run(batch);
    }
  }

  private takeBatch(): Pending<T, R>[] {
    let count = 0;
    let bytes = 0;
    while (count < this.queue.length && count < this.limits.maxBatchItems) {
      const size = this.queue[count]!.size;
      if (count > 0 && bytes + size > this.limits.maxBatchBytes) break;
      bytes += size;
      count++;
    }
    return this.queue.splice(0, count);
  }

  private async run(batch: Pending<T, R>[]): Promise<void> {
    try {
      const results = await this.commit(batch.map((p) => p.item));
      batch.forEach((p, i) => p.resolve(results[i]!));
    } catch (error) {
      for (const p of batch) p.reject(error);
    } finally {
      this.inFlight--;
      for (const p of batch) this.bytes -= p.size;
      const waiting = this.drainWaiters;
      this.drainWaiters = waiting.filter((w) => this.bytes > w.below);
      for (const w of waiting) if (this.bytes <= w.below) w.wake();
      if (this.queue.length > 0) this.flush();
      else if (this.inFlight === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const wake of waiters) wake();
      }
    }
  }
}
