// Preloaded into the server by `run.mjs memory` (node --import): once a second appends the
// process's own view of its memory (process.memoryUsage(): rss, heapTotal, heapUsed, external,
// arrayBuffers) as one JSON line to $BENCH_MEMORY_PROBE_FILE, so the report can say what the RSS
// is made of (V8 heap vs Buffers vs the rest: code, tsx/esbuild, native libraries). Measurement only.
import { appendFileSync } from 'node:fs';

const OUT = process.env.BENCH_MEMORY_PROBE_FILE;
const PROBE_MS = 1_000;
const MB = 1024 * 1024;

if (OUT) {
  const t0 = Date.now();
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    const line = { t: (Date.now() - t0) / 1000 };
    for (const k of ['rss', 'heapTotal', 'heapUsed', 'external', 'arrayBuffers']) line[k] = Math.round(m[k] / MB);
    appendFileSync(OUT, `${JSON.stringify(line)}\n`);
  }, PROBE_MS);
  timer.unref();
}
