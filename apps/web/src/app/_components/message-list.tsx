'use client';
// The live message list: SSE from /api/v1/events refreshes the first page as mail arrives or
// changes; keyboard j/k/Enter/Delete and / for search; delete-all-matching with confirmation.
import type { MessagePage, MessageSummary } from '@letterbox/contracts';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useRef, useState } from 'react';
import { browserApi } from '~/lib/client/browser-api';
import { useKeyboard } from '~/lib/client/use-keyboard';
import { useLiveEvents } from '~/lib/client/use-live-events';
import { formatReceived, formatSize, shortAddress } from '~/lib/format';
import { INBOX_PAGE_SIZE } from '~/lib/page-size';
import { LinkPending } from './link-pending';
import { SEARCH_INPUT_ID } from './search-form';

interface Props {
  initial: MessagePage;
  q: string;
  filterQuery: string;
  cursor: string | null;
  searching: boolean;
  /** Where to send mail, e.g. localhost:1025 (for the empty state). */
  smtpEndpoint: string;
}

export function MessageList({ initial, q, filterQuery, cursor, searching, smtpEndpoint }: Props) {
  const router = useRouter();
  const [page, setPage] = useState(initial);
  const [selected, setSelected] = useState(0);
  const [newerMail, setNewerMail] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const messages = page.messages;

  // At most one refresh in flight; events during it cause exactly one more (a burst of
  // deliveries costs two list requests, not one per message).
  const refreshState = useRef<'idle' | 'running' | 'again'>('idle');
  const refresh = useCallback(async () => {
    if (refreshState.current !== 'idle') {
      refreshState.current = 'again';
      return;
    }
    refreshState.current = 'running';
    const query = new URLSearchParams(filterQuery);
    query.set('limit', String(Math.max(initial.messages.length, INBOX_PAGE_SIZE)));
    for (;;) {
      try {
        setPage(await browserApi.listMessages(query.toString()));
        setError(null);
      } catch (e) {
        setError(`Could not refresh: ${(e as Error).message}`);
      }
      // Set to 'again' by events that arrived during the request.
      if ((refreshState.current as string) !== 'again') break;
      refreshState.current = 'running';
    }
    refreshState.current = 'idle';
  }, [filterQuery, initial.messages.length]);

  const live = useLiveEvents((event) => {
    if (cursor === null) return void refresh();
    if (event.type === 'message.created') setNewerMail(true);
    else if (event.type === 'message.deleted') setPage((p) => ({ ...p, messages: p.messages.filter((m) => !event.messageIds.includes(m.id)) }));
  });

  useEffect(() => {
    setSelected((s) => Math.min(s, Math.max(messages.length - 1, 0)));
  }, [messages.length]);

  // j/k move the keyboard focus with the selection (so screen readers follow); not on first render.
  const movedByKey = useRef(false);
  useEffect(() => {
    if (!movedByKey.current) return;
    const link = listRef.current?.querySelector<HTMLElement>('li[data-selected] a');
    link?.focus({ preventScroll: true });
    link?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  const move = (delta: number) => {
    movedByKey.current = true;
    setSelected((s) => Math.min(Math.max(s + delta, 0), messages.length - 1));
  };

  const remove = async (message: MessageSummary) => {
    try {
      await browserApi.deleteMessage(message.id);
      setPage((p) => ({ ...p, messages: p.messages.filter((m) => m.id !== message.id) }));
      setStatus(`Deleted “${message.subject ?? '(no subject)'}”`);
    } catch (e) {
      setError(`Could not delete: ${(e as Error).message}`);
    }
  };

  const deleteMatching = async () => {
    setConfirming(false);
    try {
      const deleted = await browserApi.deleteMatching(filterQuery);
      setStatus(`Deleted ${deleted} message${deleted === 1 ? '' : 's'}`);
      await refresh();
      router.refresh();
    } catch (e) {
      setError(`Could not delete: ${(e as Error).message}`);
    }
  };

  useKeyboard({
    j: () => move(1),
    k: () => move(-1),
    Enter: () => {
      const message = messages[selected];
      if (message) router.push(`/messages/${message.id}`);
    },
    Delete: () => {
      const message = messages[selected];
      if (message) void remove(message);
    },
    '/': () => document.getElementById(SEARCH_INPUT_ID)?.focus(),
  });

  return (
    <section aria-labelledby="list-heading">
      <div className="toolbar">
        <h2 id="list-heading" style={{ fontSize: '1rem', margin: 0 }}>{searching ? 'Search results' : 'All mail'}</h2>
        <span className="count" role="status" aria-live="polite">{live === 'open' ? 'Live' : live === 'connecting' ? 'Connecting…' : 'Live updates paused (reconnecting)'}</span>
        {messages.length > 0 && !confirming && (
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            {searching ? 'Delete all matching…' : 'Delete all…'}
          </button>
        )}
        {confirming && (
          <span role="alertdialog" aria-label="Confirm deletion" className="notice" style={{ margin: 0 }}>
            Delete every message {searching ? 'matching this search' : 'in Letterbox'}? This cannot be undone.{' '}
            <button type="button" className="danger" onClick={() => void deleteMatching()} autoFocus>Delete</button>{' '}
            <button type="button" onClick={() => setConfirming(false)}>Cancel</button>
          </span>
        )}
      </div>
      <p className="sr-only" role="status" aria-live="polite">{status}</p>
      {error && <p className="notice error" role="alert">{error}</p>}
      {newerMail && (
        <p className="notice" role="status">New mail arrived. <Link href={q ? `/?q=${encodeURIComponent(q)}` : '/'}>Show newest</Link></p>
      )}
      {messages.length === 0 ? (
        <EmptyState searching={searching} smtpEndpoint={smtpEndpoint} />
      ) : (
        <ul className="messages" ref={listRef} aria-label="Messages (j/k to move, Enter to open, Delete to delete, / to search)">
          {messages.map((m, index) => (
            <MessageRow key={m.id} message={m} selected={index === selected} onFocus={() => setSelected(index)} />
          ))}
        </ul>
      )}
      <nav className="pager" aria-label="Pages">
        {cursor !== null && <Link href={q ? `/?q=${encodeURIComponent(q)}` : '/'}>Newest</Link>}
        {page.nextCursor !== null && (
          <Link href={`/?${new URLSearchParams({ ...(q ? { q } : {}), cursor: page.nextCursor }).toString()}`}>Older →</Link>
        )}
      </nav>
    </section>
  );
}

function EmptyState({ searching, smtpEndpoint }: { searching: boolean; smtpEndpoint: string }) {
  if (searching) return <p className="empty">No messages match this search. <Link href="/">Show all mail</Link></p>;
  return (
    <div className="empty">
      <p><strong>No mail yet.</strong></p>
      <p>Send to SMTP <code>{smtpEndpoint}</code> (any address, no password) and it appears here at once.</p>
      <p><Link href="/settings">Connection snippets for nodemailer, curl and Thunderbird</Link></p>
    </div>
  );
}

function MessageRow({ message: m, selected, onFocus }: { message: MessageSummary; selected: boolean; onFocus: () => void }) {
  const recipients = m.to.length > 0 ? m.to.map((a) => a.address).join(', ') : m.rcptTo.join(', ');
  return (
    <li data-selected={selected ? '' : undefined} className={m.read ? undefined : 'unread'} data-message-id={m.id}>
      <Link href={`/messages/${m.id}`} onFocus={onFocus} prefetch={false} aria-current={selected ? 'true' : undefined}>
        <span className="dot" aria-hidden="true">{m.read ? '' : '●'}</span>
        <span className="who">{shortAddress(m.from ?? { name: '', address: m.mailFrom })}</span>
        <span className="subject">
          {m.read ? null : <span className="sr-only">Unread. </span>}
          {m.subject ?? '(no subject)'}
        </span>
        <span className="meta">
          {m.attachmentCount > 0 && <PaperclipIcon count={m.attachmentCount} />}
          <time dateTime={m.receivedAt} title={m.receivedAt} suppressHydrationWarning>{formatReceived(m.receivedAt)}</time>
          {' · '}
          {formatSize(m.size)}
        </span>
        <span className="recipients">
          To {recipients}
          {m.snippet ? <span className="snippet-text"> — {m.snippet}</span> : null} <LinkPending />
        </span>
      </Link>
    </li>
  );
}

function PaperclipIcon({ count }: { count: number }) {
  return (
    <svg role="img" aria-label={`${count} attachment${count === 1 ? '' : 's'}`} width="14" height="14" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" style={{ verticalAlign: '-2px', marginRight: '0.3rem' }}>
      <title>{`${count} attachment${count === 1 ? '' : 's'}`}</title>
      <path d="M21 11.5l-8.6 8.6a5 5 0 01-7.1-7.1l8.6-8.6a3.3 3.3 0 014.7 4.7l-8.6 8.6a1.7 1.7 0 01-2.4-2.4l7.9-7.9" />
    </svg>
  );
}
