// One message: header, actions, tabs (preview, text, headers, source, structure, attachments)
// and the links and one-time codes the API found in it.
import { notFound } from 'next/navigation';
import Link from 'next/link';
import { api, apiToken, isUnauthorized } from '~/lib/api';
import { TokenForm } from '~/app/_components/token-form';
import { ApiError } from '~/lib/api-error';
import { formatAddress } from '~/lib/format';
import { MessageActions } from './_components/message-actions';
import { DerivedPanel } from './_components/derived-panel';
import { TabContent, TABS, type Tab } from './_components/tab-content';

export const dynamic = 'force-dynamic';

type Params = Promise<{ id: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function MessagePage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const { id } = await params;
  const { tab: rawTab } = await searchParams;
  if (!/^\d{1,19}$/.test(id)) notFound();
  let message;
  try {
    message = await api.messages.get(id);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) notFound();
    if (isUnauthorized(error)) return <TokenForm wrong={(await apiToken()) !== null} />;
    throw error;
  }
  const defaultTab: Tab = message.html !== null ? 'preview' : 'text';
  const tab = (TABS.find((t) => t.id === rawTab)?.id ?? defaultTab) as Tab;
  return (
    <main id="content">
      <div className="toolbar">
        <Link href="/">← Inbox</Link>
        <MessageActions id={message.id} read={message.read} />
      </div>
      <header className="message-header">
        <h1>{message.subject ?? '(no subject)'}</h1>
        <dl>
          <dt>From</dt><dd>{formatAddress(message.from ?? { name: '', address: message.mailFrom })}</dd>
          <dt>To</dt><dd>{message.to.map(formatAddress).join(', ') || message.rcptTo.join(', ')}</dd>
          {message.cc.length > 0 && (<><dt>Cc</dt><dd>{message.cc.map(formatAddress).join(', ')}</dd></>)}
          {message.bcc.length > 0 && (<><dt>Bcc</dt><dd>{message.bcc.map(formatAddress).join(', ')}</dd></>)}
          <dt>Received</dt><dd><time dateTime={message.receivedAt}>{message.receivedAt}</time></dd>
          {message.run !== null && (<><dt>Run</dt><dd><Link href={`/?q=${encodeURIComponent(`run:${message.run}`)}`}>{message.run}</Link></dd></>)}
        </dl>
        {message.parseError !== null && <p className="notice error">This message did not parse ({message.parseError}); its source is shown as received.</p>}
      </header>
      <nav className="tabs" aria-label="Message views">
        {TABS.map((t) => (
          <Link key={t.id} href={`/messages/${message.id}?tab=${t.id}`} aria-current={t.id === tab ? 'page' : undefined} replace scroll={false} prefetch={false}>
            {t.label}{t.id === 'attachments' && message.attachments.length > 0 ? ` (${message.attachments.length})` : ''}
          </Link>
        ))}
      </nav>
      <div className="message-grid">
        <section aria-label={TABS.find((t) => t.id === tab)!.label}>
          <TabContent tab={tab} message={message} />
        </section>
        <DerivedPanel message={message} />
      </div>
    </main>
  );
}
