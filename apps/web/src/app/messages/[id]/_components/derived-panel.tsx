import type { Message } from '@letterbox/contracts';
import { CopyButton } from '~/app/_components/copy-button';

/** Only these schemes become clickable; anything else (javascript:, data:) is shown as text. */
const SAFE_LINK = /^(https?:|mailto:)/i;

export function DerivedPanel({ message }: { message: Message }) {
  return (
    <aside className="side-panel" aria-label="Found in this message">
      <h2>One-time codes</h2>
      {message.codes.length === 0 ? <p className="count">None found.</p> : (
        <ul>
          {message.codes.map((c) => (
            <li key={`${c.source}-${c.code}`}><span className="code">{c.code}</span> <span className="count">({c.source})</span> <CopyButton text={c.code} label={`Copy code ${c.code}`} /></li>
          ))}
        </ul>
      )}
      <h2>Links</h2>
      {message.links.length === 0 ? <p className="count">None found.</p> : (
        <ul data-testid="links">
          {message.links.map((l, i) => (
            <li key={i}>
              {l.text && l.text !== l.href ? <>{l.text}: </> : null}
              {SAFE_LINK.test(l.href) ? <a href={l.href} target="_blank" rel="noopener noreferrer">{l.href}</a> : <code>{l.href}</code>} <span className="count">({l.source})</span>
            </li>
          ))}
        </ul>
      )}
      {message.unsubscribe.targets.length > 0 && (
        <>
          <h2>List-Unsubscribe</h2>
          <ul>{message.unsubscribe.targets.map((t) => <li key={t.url}>{t.url}</li>)}</ul>
          {message.unsubscribe.oneClick && <p className="count">One-click (RFC 8058)</p>}
        </>
      )}
      <h2>SMTP</h2>
      <p className="count">MAIL FROM {message.smtp.mailFrom || '<>'}; RCPT TO {message.smtp.rcptTo.join(', ')}; {message.smtp.tls ? 'TLS' : 'no TLS'}{message.smtp.authUser ? `; AUTH ${message.smtp.authUser}` : ''}</p>
    </aside>
  );
}
