// Summarises a V8 .cpuprofile: self time per function and per origin (package, Letterbox source
// file, Node internals, GC), optionally only for samples inside a time window (the load phase).
import { readFileSync } from 'node:fs';

const TOP_FUNCTIONS = 30;
const TOP_ORIGINS = 15;
const IDLE = new Set(['(idle)', '(program)']);

function originOf(url) {
  if (!url) return '(native/VM)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm !== -1) {
    const parts = url.slice(nm + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (url.startsWith('node:')) return 'node: internals';
  const src = url.indexOf('/apps/');
  if (src !== -1) return url.slice(src + 1).replace(/^file:\/\//, '');
  return url.replace(/^file:\/\//, '');
}

function shortUrl(url) {
  if (!url) return '';
  const nm = url.lastIndexOf('node_modules/');
  if (nm !== -1) return url.slice(nm + 'node_modules/'.length);
  const apps = url.indexOf('/apps/');
  return apps !== -1 ? url.slice(apps + 1) : url.replace(/^file:\/\//, '');
}

/** @returns {{ totalMs, busyMs, functions: [{name, where, ms}], origins: [{origin, ms}], windowed }} */
export function summariseProfile(file, window) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  // Native frames (fs bindings, RegExp, Buffer copies) and Node's own library code count toward
  // the nearest caller outside Node, so the origin table says which package spent the time.
  const originFor = (id) => {
    let fallback = '(native/VM)';
    for (let cur = id; cur !== undefined; cur = parentOf.get(cur)) {
      const url = byId.get(cur).callFrame.url;
      if (url && !url.startsWith('node:')) return originOf(url);
      if (url && fallback === '(native/VM)') fallback = originOf(url);
    }
    return fallback;
  };
  const inWindow = window && window.start < profile.endTime && window.end > profile.startTime;
  const self = new Map();
  let t = profile.startTime;
  let totalUs = 0;
  for (let i = 0; i < profile.samples.length; i += 1) {
    t += profile.timeDeltas[i];
    if (inWindow && (t < window.start || t > window.end)) continue;
    const dt = profile.timeDeltas[i + 1] ?? 0;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
    totalUs += dt;
  }
  const functions = new Map();
  const origins = new Map();
  let busyUs = 0;
  for (const [id, us] of self) {
    const { callFrame: f } = byId.get(id);
    const name = f.functionName || '(anonymous)';
    if (IDLE.has(name)) continue;
    busyUs += us;
    const key = `${name} ${shortUrl(f.url)}:${f.lineNumber + 1}`;
    const fn = functions.get(key) ?? { name, where: `${shortUrl(f.url)}:${f.lineNumber + 1}`, us: 0 };
    fn.us += us;
    functions.set(key, fn);
    const origin = name === '(garbage collector)' ? '(garbage collector)' : originFor(id);
    origins.set(origin, (origins.get(origin) ?? 0) + us);
  }
  const ms = (us) => us / 1000;
  return {
    windowed: Boolean(inWindow),
    totalMs: ms(totalUs),
    busyMs: ms(busyUs),
    functions: [...functions.values()].sort((a, b) => b.us - a.us).slice(0, TOP_FUNCTIONS).map((f) => ({ name: f.name, where: f.where, ms: ms(f.us) })),
    origins: [...origins].sort((a, b) => b[1] - a[1]).slice(0, TOP_ORIGINS).map(([origin, us]) => ({ origin, ms: ms(us) })),
  };
}
