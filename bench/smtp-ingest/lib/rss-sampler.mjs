// Samples the server's memory while a run is in progress: the Node server's VmRSS (and its VmHWM,
// the kernel's own peak, read at the end), and, where there is one, the database's memory as the
// sum of PSS over its processes (PSS splits shared buffers between processes instead of counting
// them once per backend, which RSS would).
import { memoryOf, pssOf } from './proc.mjs';

const NODE_SAMPLE_MS = 250;
const DB_SAMPLE_EVERY = 4; // every 4th node sample (1 s): smaps_rollup is costlier to read

export class RssSampler {
  /** @param {number} pid Node server pid; @param {() => number[]} [dbPids] database processes */
  constructor(pid, dbPids) {
    this.pid = pid;
    this.dbPids = dbPids;
    this.peakRssMB = 0;
    this.peakDbMB = 0;
    this.hwmMB = 0;
    this.timeline = [];
    this.ticks = 0;
    this.t0 = Date.now();
    this.timer = setInterval(() => this.sample(), NODE_SAMPLE_MS);
    this.sample();
  }

  sample() {
    const mem = memoryOf(this.pid);
    if (!mem) return;
    this.peakRssMB = Math.max(this.peakRssMB, mem.rssMB);
    this.hwmMB = Math.max(this.hwmMB, mem.hwmMB);
    const point = { t: (Date.now() - this.t0) / 1000, rssMB: mem.rssMB };
    if (this.dbPids && this.ticks % DB_SAMPLE_EVERY === 0) {
      point.dbMB = this.dbPids().reduce((sum, p) => sum + pssOf(p), 0);
      this.peakDbMB = Math.max(this.peakDbMB, point.dbMB);
    }
    this.ticks += 1;
    this.timeline.push(point);
  }

  /** Stops sampling (call while the server is still alive, so VmHWM can be read). */
  stop() {
    this.sample();
    clearInterval(this.timer);
    return {
      peakRssMB: Math.max(this.peakRssMB, this.hwmMB),
      sampledPeakRssMB: this.peakRssMB,
      hwmMB: this.hwmMB,
      peakDbMB: this.dbPids ? this.peakDbMB : null,
      timeline: this.timeline,
    };
  }
}
