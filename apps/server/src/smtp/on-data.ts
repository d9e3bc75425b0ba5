// DATA: collect the dot-unstuffed message, normalise line endings once, hand it to the ingester
// and answer 250 only once the transaction holding it has committed.
//   - over the size limit: 552 5.3.4 (smtp-server's rejectOversized reply), nothing stored, and
//     nothing buffered past the limit;
//   - the client disconnects mid-DATA: smtp-server destroys the stream, it never ends, nothing is
//     stored;
//   - storing fails: 451, the client keeps the message and retries;
//   - ingest is behind (MAX_PENDING_INGEST_BYTES): reading pauses, TCP pushes back on the sender;
//   - the store is above its retention limit (retention-backpressure.ts): the reply waits, and
//     after MAX_RETENTION_HOLD_MS it is 451.
//   - fault injection (address tags, API rules; fault-injection.ts) may delay, reject or drop the
//     connection at the end of DATA, before anything is stored.
import type { SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { findTestRun } from '../domain/messages/find-test-run.ts';
import type { MessageIngester } from '../domain/messages/ingest-message.ts';
import { RetentionHoldTimeout } from '../domain/messages/retention-backpressure.ts';
import type { Logger } from '../logger.ts';
import { CrlfNormalizer } from './crlf-normalizer.ts';
import type { SmtpFaultInjection } from './fault-injection.ts';
import type { SmtpUser } from './on-auth.ts';

type DataCallback = (err?: Error | null, message?: string) => void;

export interface OnDataOptions {
  ingester: MessageIngester;
  maxMessageSize: number;
  log: Logger;
  /** A message begins to arrive; graceful shutdown waits until the returned function is called. */
  begin: () => () => void;
  /** End-of-DATA fault injection (tags and rules), decided before anything is stored. */
  faults?: SmtpFaultInjection;
}

export function onData(options: OnDataOptions) {
  return (stream: SMTPServerDataStream, session: SMTPServerSession, reply: DataCallback): void => {
    // Graceful shutdown waits for every message that has started to arrive to be answered.
    const settle = options.begin();
    const callback: DataCallback = (err, message) => {
      settle();
      reply(err, message);
    };
    const normalizer = new CrlfNormalizer();
    const chunks: Buffer[] = [];
    let size = 0;
    let oversized = false;
    let finished = false;

    const add = (chunk: Buffer) => {
      if (oversized || chunk.length === 0) return;
      size += chunk.length;
      if (size > options.maxMessageSize) {
        oversized = true;
        chunks.length = 0; // drop what we have: it is never stored
        return;
      }
      chunks.push(chunk);
    };

    stream.on('data', (chunk: Buffer) => {
      add(normalizer.push(chunk));
      const overloaded = options.ingester.overloaded();
      if (overloaded) {
        stream.pause();
        void overloaded.then(() => stream.resume());
      }
    });
    // 'error' (client gone mid-DATA): the handler just forgets the message. smtp-server does not
    // call back for a closed connection, so there is nobody to answer.
    stream.on('error', () => {
      chunks.length = 0;
      settle();
    });
    stream.on('close', () => {
      if (!finished) settle();
    });
    stream.on('end', () => {
      if (finished) return;
      finished = true;
      add(normalizer.end());
      if (oversized || stream.sizeExceeded) {
        // smtp-server answers 552 5.3.4 itself when the received bytes exceed the limit; the
        // CRLF normalisation can only make a message longer, so ours is the stricter check.
        callback(Object.assign(new Error(`Message exceeds fixed maximum message size ${options.maxMessageSize}`), { responseCode: 552 }));
        return;
      }
      const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      chunks.length = 0;
      const authUser = (session.user as SmtpUser | undefined)?.username ?? null;
      const rcptTo = session.envelope.rcptTo.map((r) => r.address);
      // Once per message: fault rules, ingest and the statistics all need it.
      const run = findTestRun(raw, authUser, rcptTo);
      if (options.faults) {
        options.faults.atData(session, run, rcptTo, { proceed: () => store(raw, authUser, rcptTo, run), fail: (error) => callback(error), abandon: settle });
      } else store(raw, authUser, rcptTo, run);
    });

    const store = (raw: Buffer, authUser: string | null, rcptTo: string[], run: string | null) => {
      const stored = options.ingester.ingest({
        raw,
        mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
        rcptTo,
        authUser,
        clientAddress: session.remoteAddress || null,
        heloName: session.hostNameAppearsAs || null,
        tls: session.secure,
        run,
      });
      stored.then(
        (message) => callback(null, `OK: message stored as ${message.id}`),
        (error: Error) => {
          if (error instanceof RetentionHoldTimeout) {
            callback(Object.assign(new Error('Mail store full (retention is behind), try again later'), { responseCode: 451 }));
            return;
          }
          options.log.error(`smtp ${session.id}: storing a message failed: ${error.message}`);
          callback(Object.assign(new Error('Temporary failure storing the message, try again later'), { responseCode: 451 }));
        },
      );
    };
  };
}
