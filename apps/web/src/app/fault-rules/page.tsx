// Fault injection: the rules every node applies (list, create, delete) and the address tags.
import { FaultRulesView } from './fault-rules-view';

export const dynamic = 'force-dynamic';

const TAGS: [string, string][] = [
  ['user+reject-550@…', 'RCPT TO answered 550 5.1.1 (that recipient only); +reject-553-5.7.1 picks the enhanced status'],
  ['user+tempfail-451@…', 'RCPT TO answered 451 4.3.0'],
  ['user+reject-554-data@…', 'the end of DATA answered 554: the whole message fails, nothing is stored'],
  ['user+delay-5s@…', 'the 250 after DATA comes 5 s late (ms, s, m; -rcpt delays RCPT TO instead)'],
  ['user+disconnect@…', 'connection dropped after the message, no reply (-rcpt: at RCPT TO)'],
  ['user+slow@…', 'RCPT TO and end-of-DATA replies 1 s late each (+slow-300ms)'],
];

export default function FaultRulesPage() {
  return (
    <main id="content" style={{ maxWidth: '60rem' }}>
      <h1>Fault injection</h1>
      <p>
        Rules make Letterbox fail on purpose at one SMTP stage, for one test run or for all mail, on every node.
        Probabilities are drawn from the seed, so the same test sees the same failures every time.
        Rejected mail is not stored. Full reference: <code>docs/fault-injection.md</code>.
      </p>
      <FaultRulesView />
      <h2>Address tags</h2>
      <p>No rule needed: the recipient address says what to do. Put <code>+run-&lt;id&gt;</code> last when combining.</p>
      <table>
        <thead><tr><th scope="col">Recipient</th><th scope="col">What the sender sees</th></tr></thead>
        <tbody>{TAGS.map(([tag, meaning]) => <tr key={tag}><td><code>{tag}</code></td><td>{meaning}</td></tr>)}</tbody>
      </table>
    </main>
  );
}
