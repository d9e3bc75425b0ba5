import type { Message } from '@letterbox/contracts';
import { api, browserApiHref } from '~/lib/api';
import { formatSize } from '~/lib/format';
import { parseMimeTree, type MimePart } from '~/lib/mime-tree';
import { PreviewFrame } from './preview-frame';

export const TABS = [
  { id: 'preview', label: 'HTML preview' },
  { id: 'text', label: 'Text' },
  { id: 'headers', label: 'Headers' },
  { id: 'source', label: 'Source' },
  { id: 'structure', label: 'MIME structure' },
  { id: 'attachments', label: 'Attachments' },
] as const;
export type Tab = (typeof TABS)[number]['id'];

/** Attachments shown as images in the page itself: raster types only (never SVG). */
const INLINE_IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

export async function TabContent({ tab, message }: { tab: Tab; message: Message }) {
  switch (tab) {
    case 'preview':
      return message.html === null ? <p className="empty">This message has no HTML body. See the Text tab.</p> : <PreviewFrame id={message.id} />;
    case 'text':
      return message.text === null ? <p className="empty">This message has no plain-text body.</p> : <pre className="source" data-testid="text-body">{message.text}</pre>;
    case 'headers':
      return <Headers message={message} />;
    case 'source':
      return <Source id={message.id} />;
    case 'structure':
      return <Structure id={message.id} />;
    case 'attachments':
      return <Attachments message={message} />;
  }
}

async function rawText(id: string): Promise<{ text: string; total: number; shown: number }> {
  const { bytes, total } = await api.messages.raw(id);
  return { text: new TextDecoder('utf-8', { fatal: false }).decode(bytes), total, shown: bytes.byteLength };
}

async function Headers({ message }: { message: Message }) {
  const { text } = await rawText(message.id);
  const end = text.search(/\r?\n\r?\n/);
  return (
    <>
      <table>
        <caption className="sr-only">All headers</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">Value</th></tr></thead>
        <tbody>
          {message.headers.map((h, i) => <tr key={i}><th scope="row">{h.name}</th><td>{h.value}</td></tr>)}
        </tbody>
      </table>
      <h2 style={{ fontSize: '1rem' }}>Raw header block</h2>
      <pre className="source">{end === -1 ? text : text.slice(0, end)}</pre>
    </>
  );
}

async function Source({ id }: { id: string }) {
  const { text, total, shown } = await rawText(id);
  const download = await browserApiHref(`/messages/${id}/raw`);
  return (
    <>
      <div className="toolbar">
        <a href={download} download={`${id}.eml`}>Download .eml ({formatSize(total)})</a>
        {shown < total && <span className="count">Showing the first {formatSize(shown)}.</span>}
      </div>
      <pre className="source" data-testid="source">{text}</pre>
    </>
  );
}

async function Structure({ id }: { id: string }) {
  const { text } = await rawText(id);
  return <ul data-testid="mime-tree"><MimeNode part={parseMimeTree(text)} /></ul>;
}

function MimeNode({ part }: { part: MimePart }) {
  const details = [part.charset && `charset ${part.charset}`, part.encoding, part.disposition, part.filename && `“${part.filename}”`].filter(Boolean);
  return (
    <li>
      <code>{part.contentType}</code> {part.path && <span className="count">[{part.path}]</span>} {formatSize(part.size)}
      {details.length > 0 && <span className="count"> · {details.join(' · ')}</span>}
      {part.children.length > 0 && <ul>{part.children.map((c) => <MimeNode key={c.path} part={c} />)}</ul>}
    </li>
  );
}

async function Attachments({ message }: { message: Message }) {
  if (message.attachments.length === 0) return <p className="empty">No attachments.</p>;
  const hrefs = await Promise.all(message.attachments.map((a) => browserApiHref(`/messages/${message.id}/attachments/${a.id}`)));
  return (
    <ul className="attachments">
      {message.attachments.map((a, index) => {
        const href = hrefs[index]!;
        return (
          <li key={a.id} style={{ marginBottom: '0.75rem' }}>
            <a href={href} download={a.filename ?? `attachment-${a.id}`}>{a.filename ?? `attachment-${a.id}`}</a>{' '}
            <span className="count">{a.contentType} · {formatSize(a.size)}{a.contentId ? ` · inline (cid:${a.contentId.replace(/^<|>$/g, '')})` : ''}</span>
            {INLINE_IMAGE_TYPES.has(a.contentType.toLowerCase()) && (
              <img src={href} alt={a.filename ?? 'inline image'} loading="lazy" />
            )}
          </li>
        );
      })}
    </ul>
  );
}
