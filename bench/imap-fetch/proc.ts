/** Linux /proc memory figures of a process, in KiB. */
import { readFileSync, writeFileSync } from 'node:fs';

export function memKiB(pid: number): { rss: number; hwm: number } {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const get = (k: string): number => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(s)?.[1] ?? NaN);
  return { rss: get('VmRSS'), hwm: get('VmHWM') };
}

/** Resets the process's peak RSS (VmHWM) to its current RSS (`echo 5 > clear_refs`, needs root). */
export function resetPeak(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}
