// Display helpers shared by server and client components.
import type { Address } from '@letterbox/contracts';

const KIB = 1024;
const SIZE_UNITS = ['B', 'KB', 'MB', 'GB'] as const;

export function formatSize(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= KIB && unit < SIZE_UNITS.length - 1) {
    value /= KIB;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${SIZE_UNITS[unit]}`;
}

export function formatAddress(address: Address | null | undefined): string {
  if (!address) return '(unknown sender)';
  return address.name ? `${address.name} <${address.address}>` : address.address;
}

export function shortAddress(address: Address | null | undefined): string {
  if (!address) return '(unknown sender)';
  return address.name || address.address;
}

/** Time of day for today's mail, the date otherwise; always UTC-stable in tests via ISO title. */
export function formatReceived(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  const sameDay = date.toDateString() === now.toDateString();
  return sameDay
    ? date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' })
    : date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
}
