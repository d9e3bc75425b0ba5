'use client';
// Inside a <Link>: says "Loading…" while the navigation it started is pending.
import { useLinkStatus } from 'next/link';

export function LinkPending() {
  const { pending } = useLinkStatus();
  return pending ? <span className="pending" role="status">Loading…</span> : null;
}
