// CPU time of the server and its PostgreSQL, summed over every process seen (backends and
// autovacuum workers come and go; each is sampled every second and counted up to its last sample).
// CPU ms per message is the noise-robust signal on a shared machine where wall-clock throughput
// also measures everyone else's load.
import { cpuMsOf } from '../../smtp-ingest/lib/proc.mjs';

const SAMPLE_MS = 1_000;

export class CpuTracker {
  constructor(pids) {
    this.pids = pids;
    this.seen = new Map();
    this.sample();
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
  }

  sample() {
    for (const pid of this.pids()) {
      const ms = cpuMsOf(pid);
      if (ms === 0) continue;
      const entry = this.seen.get(pid);
      if (entry) entry.last = ms;
      else this.seen.set(pid, { first: ms, last: ms });
    }
  }

  /** CPU ms used since tracking started (samples first). */
  totalMs() {
    this.sample();
    let total = 0;
    for (const { first, last } of this.seen.values()) total += last - first;
    return total;
  }

  stop() {
    clearInterval(this.timer);
  }
}
