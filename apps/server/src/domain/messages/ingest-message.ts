// The write path behind SMTP DATA: a received message becomes durable (raw bytes, envelope,
// delivery order) in a group-committed transaction, and `ingest()` resolves only
// after that COMMIT (DESIGN invariant 1). Nothing here parses MIME: parse-pending-messages.ts
// fills the parsed fields in the background.
import type pg from 'pg';
import type { Logger } from '../../logger.ts';
import { DEFAULT_GROUP_COMMIT_LIMITS, GroupCommitBatcher, type GroupCommitLimits } from './group-commit-batcher.ts';
import { findTestRun } from './find-test-run.ts';
import type { RetentionBackpressure } from './retention-backpressure.ts';
import { storeMessageBatch, type ReceivedMessage, type StoredMessage } from './store-message-batch.ts';

export type { StoredMessage } from './store-message-batch.ts';

export interface IncomingMessage {
  /** Dot-unstuffed, CRLF-normalised bytes: stored exactly so. */
  raw: Buffer;
  mailFrom: string;
  rcptTo: string[];
  authUser: string | null;
  clientAddress: string | null;
  heloName: string | null;
  tls: boolean;
  receivedAt?: Date;
  /** findTestRun() of this message when the caller has it already (it scans the header block). */
  run?: string | null;
}

export interface MessageIngester {
  /** Resolves after the COMMIT that holds the message; rejects if it could not be stored. */
  ingest(message: IncomingMessage): Promise<StoredMessage>;
  /** Resolves when nothing is waiting for or inside a transaction. */
  whenIdle(): Promise<void>;
  /** True while messages are waiting for or inside a transaction. */
  busy(): boolean;
  /**
   * Backpressure: null while the bytes waiting for or inside a transaction are under
   * MAX_PENDING_INGEST_BYTES, else a promise that resolves once they are (stop reading input
   * until then).
   */
  overloaded(): Promise<void> | null;
  /** Bytes waiting for or inside a transaction (statistics). */
  pendingBytes(): number;
}

export interface MessageIngesterOptions {
  pool: pg.Pool;
  catchAllAddress: string;
  log: Logger;
  /** Called after each commit (e.g. to wake the background parser of this node). */
  onCommitted?: (stored: StoredMessage[]) => void;
  /** Called after each successful group commit with its size and duration (statistics). */
  onBatchCommitted?: (messages: number, seconds: number) => void;
  limits?: GroupCommitLimits;
  /** With a retention message limit: messages wait here while the store is above it. */
  retention?: RetentionBackpressure;
}

/**
 * Complete messages waiting for or inside a commit, in bytes. Past it, SMTP sessions stop reading
 * DATA (TCP backpressure to the senders) until commits catch up: a database slower than the
 * network then slows the senders instead of filling memory (RSS budget 300 MB).
 */
export const MAX_PENDING_INGEST_BYTES = 64 * 1024 * 1024;

/** Deadlock / serialization failures are transient: the same batch succeeds when retried. */
const RETRYABLE_SQLSTATES = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 3;

export function createMessageIngester(options: MessageIngesterOptions): MessageIngester {
  const { pool, catchAllAddress, log } = options;

  const storeWithRetry = async (batch: ReceivedMessage[]): Promise<StoredMessage[]> => {
    for (let attempt = 1; ; attempt++) {
      const client = await pool.connect();
      let failed = false;
      try {
        return await storeMessageBatch(client, batch, catchAllAddress);
      } catch (error) {
        failed = true;
        const code = (error as { code?: string }).code;
        if (attempt < MAX_ATTEMPTS && code !== undefined && RETRYABLE_SQLSTATES.has(code)) continue;
        // A connection the server dropped (restart, idle kill) surfaces on the next batch; before
        // COMMIT nothing was stored, so a fresh connection can safely try again.
        const beforeCommit = !(error as { commitOutcomeUnknown?: boolean }).commitOutcomeUnknown;
        if (attempt < MAX_ATTEMPTS && beforeCommit && isConnectionError(error)) continue;
        throw error;
      } finally {
        // After a failure the connection's state is unknown (a failed ROLLBACK leaves it inside
        // an aborted transaction): replace it rather than hand it to the next batch.
        client.release(failed);
      }
    }
  };

  // One message's error (a value PostgreSQL refuses) must not fail its batch neighbours: a failed
  // batch is retried one message per transaction, so only the culprit gets the error.
  const commit = async (batch: ReceivedMessage[]): Promise<(StoredMessage | Error)[]> => {
    try {
      const started = performance.now();
      const stored = await storeWithRetry(batch);
      options.onBatchCommitted?.(batch.length, (performance.now() - started) / 1000);
      options.onCommitted?.(stored);
      return stored;
    } catch (error) {
      if (batch.length === 1 || isConnectionError(error)) throw error;
      log.warn(`ingest: batch of ${batch.length} failed (${(error as Error).message}); storing one by one`);
      const results: (StoredMessage | Error)[] = [];
      for (const message of batch) {
        try {
          const [stored] = await storeWithRetry([message]);
          options.onCommitted?.([stored!]);
          results.push(stored!);
        } catch (single) {
          results.push(single instanceof Error ? single : new Error(String(single)));
        }
      }
      return results;
    }
  };

  const batcher = new GroupCommitBatcher<ReceivedMessage, StoredMessage | Error>(
    commit,
    (m) => m.raw.length,
    options.limits ?? DEFAULT_GROUP_COMMIT_LIMITS,
  );

  const submit = (message: IncomingMessage): Promise<StoredMessage> =>
    batcher.submit({
      raw: message.raw,
      receivedAt: message.receivedAt ?? new Date(),
      mailFrom: message.mailFrom,
      rcptTo: message.rcptTo,
      authUser: message.authUser,
      clientAddress: message.clientAddress,
      heloName: message.heloName,
      tls: message.tls,
      run: message.run !== undefined ? message.run : findTestRun(message.raw, message.authUser, message.rcptTo),
    }).then(storedOrThrow);

  const retention = options.retention;
  return {
    ingest: retention
      ? async (message) => {
        // Before the batcher: a waiting message holds no pool connection, so retention can run.
        const settled = await retention.admit();
        try {
          return await submit(message);
        } finally {
          settled();
        }
      }
      : submit,
    whenIdle: () => batcher.whenIdle(),
    busy: () => batcher.pending > 0,
    pendingBytes: () => batcher.pendingBytes,
    overloaded: () =>
      batcher.pendingBytes > MAX_PENDING_INGEST_BYTES ? batcher.whenPendingBytesBelow(MAX_PENDING_INGEST_BYTES) : null,
  };
}

function storedOrThrow(result: StoredMessage | Error): StoredMessage {
  if (result instanceof Error) throw result;
  return result;
}

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  // Class 08 = connection exception; 57P01-03 = server shutting down; node errors = socket gone.
  return (
    typeof code === 'string' &&
    (code.startsWith('08') || code.startsWith('57P') || code === 'ECONNRESET' || code === 'ECONNREFUSED' || code === 'EPIPE')
  ) || /Connection terminated|not queryable/i.test((error as Error)?.message ?? '');
}
