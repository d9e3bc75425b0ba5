// Addresses seen (with counts) and test runs; a click narrows the search to one of them.
import Link from 'next/link';
import { Suspense } from 'react';
import { api } from '~/lib/api';
import { withRecipient } from '~/lib/search-query';

/** The sidebar lists this many addresses and runs; the search box reaches the rest. */
const SIDEBAR_LIMIT = 100;

function searchHref(q: string): string {
  return q ? `/?q=${encodeURIComponent(q)}` : '/';
}

export async function InboxSidebar({ q, selected, run }: { q: string; selected: string | null; run: string | null }) {
  const inboxes = await api.inboxes.list(`limit=${SIDEBAR_LIMIT}`);
  return (
    <aside className="sidebar" aria-label="Inboxes and runs">
      <h2 id="inboxes-heading">Inboxes</h2>
      <ul aria-labelledby="inboxes-heading">
        <li>
          <Link href={searchHref(withRecipient(q, null))} aria-current={selected === null} prefetch={false}>
            <span>All mail</span>
          </Link>
        </li>
        {inboxes.inboxes.map((inbox) => (
          <li key={inbox.address}>
            <Link href={searchHref(withRecipient(q, inbox.address))} aria-current={selected?.toLowerCase() === inbox.address.toLowerCase()} prefetch={false}>
              <span>{inbox.address}</span>
              <span className="count" aria-label={`${inbox.messageCount} messages`}>{inbox.messageCount}</span>
            </Link>
          </li>
        ))}
      </ul>
      {inboxes.nextCursor !== null && <p className="count">More addresses: search with <code>to:</code></p>}
      {/* Listing runs aggregates every message (~0.2 s at a million): it streams in after the list. */}
      <Suspense fallback={null}>
        <RunList run={run} />
      </Suspense>
    </aside>
  );
}

async function RunList({ run }: { run: string | null }) {
  const runs = await api.runs.list(`limit=${SIDEBAR_LIMIT}`);
  if (runs.runs.length === 0) return null;
  return (
    <>
      <h2 id="runs-heading">Test runs</h2>
      <ul aria-labelledby="runs-heading">
        {runs.runs.map((r) => (
          <li key={r.run}>
            <Link href={searchHref(`run:${/\s/.test(r.run) ? `"${r.run}"` : r.run}`)} aria-current={run === r.run} prefetch={false}>
              <span>{r.run}</span>
              <span className="count" aria-label={`${r.messageCount} messages`}>{r.messageCount}</span>
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
