// The inbox: the sidebar of addresses and runs, and a page of messages matching the search,
// kept live by the MessageList island. Paged by cursor (50 a page), so a million stored
// messages cost the same as fifty.
import { api, apiToken, isUnauthorized } from '~/lib/api';
import { env } from '~/lib/env';
import { INBOX_PAGE_SIZE } from '~/lib/page-size';
import { filterToQueryString, parseSearch } from '~/lib/search-query';
import { InboxSidebar } from '../_components/inbox-sidebar';
import { TokenForm } from '../_components/token-form';
import { MessageList } from '../_components/message-list';

export const dynamic = 'force-dynamic';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function first(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** The default SMTP port, when the page is served without the server's info (next dev). */
const DEFAULT_SMTP_ENDPOINT = 'localhost:1025';

function smtpEndpoint(): string {
  const info = env.info();
  return info ? `${info.host === '127.0.0.1' ? 'localhost' : info.host}:${info.smtpPort}` : DEFAULT_SMTP_ENDPOINT;
}

export default async function InboxPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const q = first(params.q).trim();
  const cursor = first(params.cursor);
  const { filter, errors } = parseSearch(q);
  const filterQuery = filterToQueryString(filter);
  const pageQuery = new URLSearchParams(filterQuery);
  pageQuery.set('limit', String(INBOX_PAGE_SIZE));
  if (/^\d{1,19}$/.test(cursor)) pageQuery.set('cursor', cursor);
  let page;
  try {
    page = await api.messages.list(errors.length > 0 ? 'limit=1' : pageQuery.toString());
  } catch (error) {
    if (isUnauthorized(error)) return <TokenForm wrong={(await apiToken()) !== null} />;
    throw error;
  }
  if (errors.length > 0) page = { messages: [], nextCursor: null };
  return (
    <div className="layout">
      <InboxSidebar q={q} selected={filter.recipient ?? null} run={filter.run ?? null} />
      <main id="content">
        <h1 className="sr-only">Inbox</h1>
        {errors.length > 0 && (
          <div className="notice error" role="alert">
            <strong>Search not understood:</strong>
            <ul>{errors.map((e) => <li key={e}>{e}</li>)}</ul>
            <a href="/settings#search-syntax">Search syntax</a>
          </div>
        )}
        <MessageList
          key={`${q}|${cursor}`}
          initial={page}
          q={q}
          filterQuery={filterQuery}
          cursor={pageQuery.get('cursor')}
          searching={q !== ''}
          smtpEndpoint={smtpEndpoint()}
        />
      </main>
    </div>
  );
}
