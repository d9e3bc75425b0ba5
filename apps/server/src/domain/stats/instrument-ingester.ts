// Counts and times what the ingester acknowledges: wraps `ingest` so the SMTP layer stays as is.
import type { IncomingMessage, MessageIngester } from '../messages/ingest-message.ts';
import { findTestRun } from '../messages/find-test-run.ts';
import type { IngestStats } from './ingest-stats.ts';

export function instrumentIngester(ingester: MessageIngester, stats: IngestStats): MessageIngester {
  const runOf = (m: IncomingMessage) => (m.run !== undefined ? m.run : findTestRun(m.raw, m.authUser, m.rcptTo));
  return {
    ...ingester,
    ingest(message) {
      const started = performance.now();
      return ingester.ingest(message).then(
        (stored) => {
          stats.accepted(runOf(message), message.raw.length, (performance.now() - started) / 1000);
          return stored;
        },
        (error: unknown) => {
          stats.rejected(runOf(message), 'data', 'storage');
          throw error;
        },
      );
    },
  };
}
