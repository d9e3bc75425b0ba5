// Runs N messages over C connections and returns what the server acknowledged and how fast.
// All connections connect and finish EHLO first; the clock starts when the last one is ready,
// so the rate measures steady ingest, not connection setup.
import { LoadConnection } from './smtp-connection.mjs';
import { percentile } from './stats.mjs';

const NS_PER_MS = 1e6;

/**
 * @returns {Promise<{accepted, seconds, rate, p50, p99, errors: Record<string, number>,
 *   acked: Uint8Array, pipelining: boolean}>}
 */
export function runLoad({ host, port, payload, total, connections, timeoutMs, progressMs = 0, onProgress }) {
  return new Promise((resolve) => {
    const startNs = process.hrtime.bigint();
    const run = {
      payload,
      total,
      next: 0,
      accepted: 0,
      stopped: false,
      acked: new Uint8Array(total),
      latencies: new Float64Array(total),
      errors: new Map(),
      now: () => Number(process.hrtime.bigint() - startNs) / NS_PER_MS,
      countError: (key) => run.errors.set(key, (run.errors.get(key) ?? 0) + 1),
      onReady,
      onDone,
      onAccepted: () => { lastAcceptAt = run.now(); },
    };
    const conns = [];
    let ready = 0;
    let done = 0;
    let clockStart = 0;
    let lastAcceptAt = 0;
    let progressTimer = null;

    let started = false;
    let failedBeforeReady = 0;
    function onReady(conn) {
      conn.wasReady = true;
      ready += 1;
      startWhenAllReady();
    }

    function startWhenAllReady() {
      if (started || ready + failedBeforeReady < connections) return;
      started = true;
      clockStart = run.now();
      if (progressMs > 0 && onProgress) progressTimer = setInterval(reportProgress, progressMs);
      for (const c of conns) if (!c.finished) c.start();
    }

    function onDone(conn) {
      done += 1;
      if (!conn.wasReady) {
        failedBeforeReady += 1;
        startWhenAllReady();
      }
      if (done === connections) finish();
    }

    let lastProgress = { at: 0, accepted: 0 };
    function reportProgress() {
      const at = run.now() - clockStart;
      const delta = run.accepted - lastProgress.accepted;
      onProgress({ seconds: at / 1000, accepted: run.accepted, intervalRate: (delta * 1000) / (at - lastProgress.at) });
      lastProgress = { at, accepted: run.accepted };
    }

    const deadline = setTimeout(() => {
      run.countError('run timed out');
      run.stopped = true;
      for (const c of conns) if (!c.finished) c.fail('timed out');
    }, timeoutMs);

    function finish() {
      clearTimeout(deadline);
      if (progressTimer) clearInterval(progressTimer);
      const seconds = Math.max(lastAcceptAt - clockStart, 1) / 1000;
      const wallSeconds = (run.now() - clockStart) / 1000;
      const lat = run.latencies.subarray(0, run.accepted).sort();
      resolve({
        accepted: run.accepted,
        seconds,
        wallSeconds,
        rate: run.accepted / seconds,
        p50: percentile(lat, 0.5),
        p99: percentile(lat, 0.99),
        errors: Object.fromEntries(run.errors),
        acked: run.acked,
        pipelining: conns.some((c) => c.pipelining),
      });
    }

    for (let i = 0; i < connections; i += 1) conns.push(new LoadConnection(run, host, port));
  });
}
