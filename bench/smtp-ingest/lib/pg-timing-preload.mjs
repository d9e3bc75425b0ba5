// Preloaded into the Letterbox server by `run.mjs profile` (node --import): wraps pg's
// Client#query and Pool#connect to count round trips and time them, per statement kind, and
// times each transaction from BEGIN to the statement that ends with COMMIT. The summary is
// written as JSON to $BENCH_PG_TIMING_FILE when the process exits. Measurement only: the
// queries themselves are passed through unchanged.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const OUT = process.env.BENCH_PG_TIMING_FILE;
const KEY_CHARS = 70;
const requireFromServer = createRequire(join(process.cwd(), 'apps', 'server', 'package.json'));
const pg = requireFromServer('pg');

const kinds = new Map();
const txMs = [];
let connectWaits = 0;
let connectMs = 0;

/** Statement kind: its first characters; a NOTIFY's payload (message ids) is left out. */
function keyOf(text) {
  const t = String(text ?? '').replace(/\s+/g, ' ').trim();
  if (t.startsWith('NOTIFY')) return `${t.slice(0, t.indexOf(',') + 1)} '…'${t.endsWith('COMMIT') ? '; COMMIT' : ''}`;
  return t.slice(0, KEY_CHARS);
}

function record(key, ms, params) {
  const k = kinds.get(key) ?? { count: 0, ms: 0, params: 0 };
  k.count += 1;
  k.ms += ms;
  k.params += params;
  kinds.set(key, k);
}

const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function timedQuery(config, values, callback) {
  const text = typeof config === 'string' ? config : config?.text;
  const params = Array.isArray(values) ? values.length : (config?.values?.length ?? 0);
  const key = keyOf(text);
  const started = performance.now();
  if (key === 'BEGIN') this.benchTxStart = started;
  const done = () => {
    const now = performance.now();
    record(key, now - started, params);
    if (/\bCOMMIT\s*$/.test(String(text ?? ''))) {
      if (this.benchTxStart !== undefined) txMs.push(now - this.benchTxStart);
      this.benchTxStart = undefined;
    }
  };
  const args = [...arguments];
  const cbIndex = args.findIndex((a) => typeof a === 'function');
  if (cbIndex !== -1) {
    const cb = args[cbIndex];
    args[cbIndex] = function timedCallback(...r) { done(); return cb.apply(this, r); };
    return originalQuery.apply(this, args);
  }
  const result = originalQuery.apply(this, args);
  if (result && typeof result.then === 'function') result.then(done, done);
  return result;
};

const originalConnect = pg.Pool.prototype.connect;
pg.Pool.prototype.connect = function timedConnect(...args) {
  const started = performance.now();
  const result = originalConnect.apply(this, args);
  if (result && typeof result.then === 'function') {
    result.then(() => { connectWaits += 1; connectMs += performance.now() - started; }, () => {});
  }
  return result;
};

process.on('exit', () => {
  if (!OUT) return;
  const sorted = [...txMs].sort((a, b) => a - b);
  const pct = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? null;
  writeFileSync(OUT, JSON.stringify({
    statements: [...kinds].map(([key, k]) => ({ key, ...k })).sort((a, b) => b.ms - a.ms),
    transactions: { count: sorted.length, totalMs: sorted.reduce((s, x) => s + x, 0), p50: pct(0.5), p99: pct(0.99) },
    poolConnect: { count: connectWaits, totalMs: connectMs },
  }, null, 1));
});
