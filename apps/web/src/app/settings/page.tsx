// Settings and connection info: endpoints with copyable snippets, retention, version, and the
// search syntax.
import { CopyButton } from '~/app/_components/copy-button';
import { env } from '~/lib/env';
import { connectionSnippets } from '~/lib/snippets';

export const dynamic = 'force-dynamic';

const SEARCH_SYNTAX: [string, string][] = [
  ['from:alice@example.test', 'From header address or envelope sender'],
  ['to:bob@example.test', 'Any recipient (To, Cc, Bcc: the inbox)'],
  ['subject:welcome', 'Subject contains the word'],
  ['body:reset', 'Plain-text body contains the word'],
  ['has:attachment', 'Has attachments (-has:attachment: none)'],
  ['is:unread / is:read', 'Read state'],
  ['before:2026-11-22 / after:2026-11-21', 'Received before the start / after the end of that day (UTC), or an ISO instant'],
  ['run:ci-42', 'Messages of one test run'],
  ['reset password', 'Free words: the subject contains each word, in any order'],
  ['"reset your password"', 'Quoted phrase: the subject contains it as written'],
  ['-newsletter', 'Negation: the subject does not contain it (also -subject:, -has:, -is:)'],
];

export default function SettingsPage() {
  const info = env.info();
  const snippets = info ? connectionSnippets(info) : [];
  return (
    <main id="content" style={{ maxWidth: '60rem' }}>
      <h1>Settings and connection info</h1>
      {info === null ? (
        <p className="notice">Endpoint details are shown when the UI is served by <code>pnpm start</code>.</p>
      ) : (
        <>
          <h2>Endpoints</h2>
          <table>
            <tbody>
              <tr><th scope="row">SMTP</th><td><code>{info.host}:{info.smtpPort}</code> (auth: {info.smtpAuth})</td></tr>
              {info.smtpsPort !== null && <tr><th scope="row">SMTPS</th><td><code>{info.host}:{info.smtpsPort}</code></td></tr>}
              <tr><th scope="row">IMAP</th><td><code>{info.host}:{info.imapPort}</code> (STARTTLS; auth: {info.imapAuth})</td></tr>
              <tr><th scope="row">IMAPS</th><td><code>{info.host}:{info.imapsPort}</code></td></tr>
              <tr><th scope="row">HTTP API</th><td><code>http://{info.host}:{info.httpPort}/api/v1</code> (<a href="/api/docs">docs</a>, <a href="/api/v1/openapi.json">OpenAPI</a>)</td></tr>
              <tr><th scope="row">Catch-all address</th><td><code>{info.catchAllAddress}</code></td></tr>
            </tbody>
          </table>
          <h2>Retention</h2>
          <p>
            {info.retention.maxMessages === null && info.retention.maxAgeMs === null
              ? 'Messages are kept until deleted.'
              : [info.retention.maxMessages !== null && `At most ${info.retention.maxMessages} messages`, info.retention.maxAgeMs !== null && `deleted after ${Math.round(info.retention.maxAgeMs / 60_000)} minutes`].filter(Boolean).join('; ')}
            {' '}Set with <code>--retention-max-messages</code> and <code>--retention-max-age</code>.
          </p>
          <h2>Connection snippets</h2>
          {snippets.map((s) => (
            <section key={s.title} aria-labelledby={`snippet-${s.id}`}>
              <h3 id={`snippet-${s.id}`}>{s.title}</h3>
              <pre className="snippet"><code>{s.code}</code></pre>
              <CopyButton text={s.code} label={`Copy the ${s.title} snippet`} />
            </section>
          ))}
          <h2>Version</h2>
          <p>Letterbox {info.version}</p>
        </>
      )}
      <h2 id="search-syntax">Search syntax</h2>
      <p>Terms combine with AND. Quote values with spaces: <code>subject:&quot;your order&quot;</code>.</p>
      <table>
        <thead><tr><th scope="col">Term</th><th scope="col">Matches</th></tr></thead>
        <tbody>{SEARCH_SYNTAX.map(([term, meaning]) => <tr key={term}><td><code>{term}</code></td><td>{meaning}</td></tr>)}</tbody>
      </table>
      <h2>Keyboard</h2>
      <p><kbd>j</kbd>/<kbd>k</kbd> move, <kbd>Enter</kbd> opens, <kbd>Delete</kbd> deletes, <kbd>/</kbd> searches, <kbd>u</kbd> goes back to the inbox.</p>
    </main>
  );
}
