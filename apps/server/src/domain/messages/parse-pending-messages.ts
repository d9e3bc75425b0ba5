// The background parser: fills the parsed fields of messages stored with parseState = pending,
// off the SMTP acknowledgement path. Safe on many nodes: each message is claimed with
// FOR UPDATE SKIP LOCKED, so two nodes never parse the same one and neither waits for the other.
// Woken in-process after every local commit; a periodic sweep picks up other nodes' messages and
// anything left behind by a crash.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type pg from 'pg';
import type { Logger } from '../../logger.ts';
import { parseMessage, type ParsedMessage } from './parse-message.ts';

/**
 * One message at a time: mailparser runs on the event loop, so parallel parses would not finish
 * sooner, they would only hold more messages (up to the size limit each) in memory.
 */
const PARSE_CONCURRENCY = 1;
/** How often a node looks for pending messages nobody woke it for. */
export const PARSE_SWEEP_INTERVAL_MS = 2_000;
/** parseError is for humans; a stack trace or a huge message is cut. */
const MAX_PARSE_ERROR_LENGTH = 1_000;

export interface PendingMessageParser {
  /** There may be new pending messages: look now. */
  wake(): void;
  /** Resolves once every pending message that existed when called has been handled (tests). */
  whenIdle(): Promise<void>;
  /** Finishes the message in hand, then stops. */
  stop(): Promise<void>;
}

export function startPendingMessageParser(options: { pool: pg.Pool; log: Logger; sweepIntervalMs?: number }): PendingMessageParser {
  const { pool, log } = options;
  let stopped = false;
  let wakeRequested = true;
  let wakeLoop: (() => void) | null = null;
  let idleWaiters: (() => void)[] = [];

  const loop = async () => {
    while (!stopped) {
      wakeRequested = false;
      let handled = true;
      try {
        while (!stopped && handled) {
          handled = await parseNextPending(pool, log);
          await yieldToEventLoop(); // let SMTP sessions run between two parses
        }
      } catch (error) {
        log.warn(`parser: ${(error as Error).message}`);
      }
      if (!wakeRequested) {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const wake of waiters) wake();
      }
      if (stopped || wakeRequested) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.sweepIntervalMs ?? PARSE_SWEEP_INTERVAL_MS);
        timer.unref();
        wakeLoop = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakeLoop = null;
    }
  };
  const running = Promise.all(Array.from({ length: PARSE_CONCURRENCY }, () => loop()));

  const wake = () => {
    wakeRequested = true;
    wakeLoop?.();
  };
  return {
    wake,
    whenIdle: () => {
      const idle = new Promise<void>((resolve) => idleWaiters.push(resolve));
      wake();
      return idle;
    },
    stop: async () => {
      stopped = true;
      wakeLoop?.();
      await running;
      for (const resolve of idleWaiters) resolve();
    },
  };
}

/** Claims, parses and updates one pending message; false when there was none to claim. */
async function parseNextPending(pool: pg.Pool, log: Logger): Promise<boolean> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const claimed = await client.query<{ id: string; raw: Buffer }>(
      `SELECT id, raw FROM messages WHERE "parseState" = 'pending' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`,
    );
    const row = claimed.rows[0];
    if (!row) {
      await client.query('COMMIT');
      return false;
    }
    let parsed: ParsedMessage | null = null;
    let failure: string | null = null;
    try {
      parsed = await parseMessage(row.raw);
    } catch (error) {
      failure = String((error as Error)?.message ?? error).slice(0, MAX_PARSE_ERROR_LENGTH);
    }
    try {
      await client.query('SAVEPOINT parsed_fields');
      if (parsed) await writeParsed(client, row.id, parsed);
      else await writeFailure(client, row.id, failure ?? 'unknown parse error');
    } catch (error) {
      // A value PostgreSQL refuses must not leave the message pending forever.
      await client.query('ROLLBACK TO SAVEPOINT parsed_fields');
      await writeFailure(client, row.id, `storing the parsed fields failed: ${(error as Error).message}`.slice(0, MAX_PARSE_ERROR_LENGTH));
    }
    await client.query('COMMIT');
    if (failure) log.debug(`parser: message ${row.id} did not parse: ${failure}`);
    return true;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

async function writeParsed(client: pg.ClientBase, id: string, m: ParsedMessage): Promise<void> {
  await client.query(
    `UPDATE messages SET "parseState" = 'parsed', "parseError" = NULL, "parsedAt" = now(),
       subject = $2, "fromAddress" = $3::jsonb, "toAddresses" = $4::jsonb, "ccAddresses" = $5::jsonb,
       "replyTo" = $6::jsonb, date = $7, "messageIdHeader" = $8, "inReplyTo" = $9,
       "references" = $10::text[], headers = $11::jsonb, text = $12, html = $13
     WHERE id = $1`,
    [
      id, m.subject, JSON.stringify(m.from), JSON.stringify(m.to), JSON.stringify(m.cc), JSON.stringify(m.replyTo),
      m.date, m.messageId, m.inReplyTo, m.references, JSON.stringify(m.headers), m.text, m.html,
    ],
  );
  await client.query('DELETE FROM attachments WHERE "messageId" = $1', [id]);
  if (m.attachments.length === 0) return;
  const a = m.attachments;
  await client.query(
    `INSERT INTO attachments ("messageId", position, filename, "contentType", size, "contentId", disposition, sha256)
     SELECT $1, t.position, t.filename, t.content_type, t.size, t.content_id, t.disposition, t.sha256
       FROM unnest($2::int[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[], $8::text[])
         AS t(position, filename, content_type, size, content_id, disposition, sha256)`,
    [
      id, a.map((_, i) => i), a.map((x) => x.filename), a.map((x) => x.contentType), a.map((x) => x.size),
      a.map((x) => x.contentId), a.map((x) => x.disposition), a.map((x) => x.sha256),
    ],
  );
}

async function writeFailure(client: pg.ClientBase, id: string, error: string): Promise<void> {
  await client.query(
    `UPDATE messages SET "parseState" = 'failed', "parseError" = $2, "parsedAt" = now() WHERE id = $1`,
    [id, error.replaceAll('\u0000', '')],
  );
}
