// The background parser: fills the parsed fields of messages stored with parseState = pending,
// off the SMTP acknowledgement path. Safe on many nodes: each message is claimed with
// FOR UPDATE SKIP LOCKED, so two nodes never parse the same one and neither waits for the other.
// Woken in-process after every local commit; a periodic sweep picks up other nodes' messages and
// anything left behind by a crash.
import { hash } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type pg from 'pg';
import { bigintArrayLiteral, decode, selectBinary } from '../../db/binary-copy.ts';
import type { Logger } from '../../logger.ts';
import { startBackgroundWorker, type BackgroundWorker } from '../background-worker.ts';
import { headerAddressKeys } from './header-address-keys.ts';
import { parseMessage, type ParsedMessage } from './parse-message.ts';

/**
 * Messages claimed per transaction: one commit (one WAL flush) for many parsed messages instead
 * of one per message, which under load would cost PostgreSQL as much as the ingest itself.
 */
const PARSE_BATCH_MESSAGES = 64;
/**
 * Raw bytes loaded per batch (mailparser holds a few times that while it works); a single bigger
 * message is still parsed, alone.
 */
const PARSE_BATCH_BYTES = 2 * 1024 * 1024;
/**
 * mailparser runs on the event loop that also serves SMTP. A batch stops taking new messages
 * after this much parsing; the rest stay pending for the next batch.
 */
const PARSE_SLICE_MS = 50;
/**
 * While ingest has messages queued or committing, the parser runs one slice per this interval:
 * acknowledgements come first (the product), parsed views still make progress (at most
 * PARSE_SLICE_MS / PARSE_BUSY_INTERVAL_MS = 5% of the event loop; writing parsed fields costs
 * PostgreSQL more per message than storing the message did). The backlog is parsed at full speed
 * as soon as the load stops; API reads that need a parsed message parse it on demand.
 */
const PARSE_BUSY_INTERVAL_MS = 1_000;
/** How often a node looks for pending messages nobody woke it for. */
export const PARSE_SWEEP_INTERVAL_MS = 2_000;
/** A UTF-16 surrogate without its pair. */
const LONE_SURROGATE = /\p{Surrogate}/gu;
/** parseError is for humans; a stack trace or a huge message is cut. */
const MAX_PARSE_ERROR_LENGTH = 1_000;

/** wake / whenIdle (every pending message that existed when called is handled) / stop. */
export type PendingMessageParser = BackgroundWorker;

export interface PendingMessageParserOptions {
  pool: pg.Pool;
  log: Logger;
  sweepIntervalMs?: number;
  /** True while ingest has work in hand; the parser then backs off (see PARSE_BUSY_INTERVAL_MS). */
  ingestBusy?: () => boolean;
}

export function startPendingMessageParser(options: PendingMessageParserOptions): PendingMessageParser {
  const { pool, log } = options;
  return startBackgroundWorker({
    sweepIntervalMs: options.sweepIntervalMs ?? PARSE_SWEEP_INTERVAL_MS,
    onError: (error) => log.warn(`parser: ${error.message}`),
    pass: async (stopped) => {
      // Keyset cursor: each claim starts after the last message parsed instead of walking, from
      // the start of the (parseState, id) index, past the entries of every message parsed since
      // the last vacuum. Back to the start when it reaches the newest pending messages, so
      // messages it skipped (locked elsewhere, committed late with a lower id) are not left behind.
      let after: string | null = null;
      while (!stopped()) {
        if (options.ingestBusy?.()) await sleep(PARSE_BUSY_INTERVAL_MS);
        const batch = await parsePendingBatch(pool, log, { after });
        if (batch === null) {
          if (after === null) break;
          after = null;
        } else after = batch.reachedNewest ? null : batch.lastParsed;
      }
    },
  });
}

/**
 * Parses these messages now if they are still pending: for API reads that need parsed fields
 * right after the 250. A message another node is parsing is waited for (its row lock), not
 * parsed twice.
 */
export async function parseMessagesNow(pool: pg.Pool, log: Logger, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  while (await parsePendingBatch(pool, log, { only: ids })) {
    // each batch parses at least one message; the rest are claimed again
  }
}

interface BatchScope {
  /** These messages only (waiting for another node's lock on them); else any pending message. */
  only?: readonly string[];
  /** Only messages with a larger id. */
  after?: string | null;
}

interface BatchDone {
  /** Id of the last message handled: the rest of the claim stays pending. */
  lastParsed: string;
  /** The claim got fewer messages than it asked for: nothing pending beyond it. */
  reachedNewest: boolean;
}

/**
 * Right after a burst of ingest the table statistics predate the backlog, and the planner then
 * answers the claim with a bitmap scan of every pending message plus a sort, per batch (8-20 ms
 * at 10,000 pending, so quadratic over a backlog). Walking the (parseState, id) index in order
 * reads just the batch. Every other statement of the transaction reads by id.
 */
const BEGIN_CLAIM = 'BEGIN; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_seqscan = off';

/** Claims, parses and updates a batch of pending messages; null when there was none to claim. */
async function parsePendingBatch(pool: pg.Pool, log: Logger, scope: BatchScope): Promise<BatchDone | null> {
  const { only, after } = scope;
  const client = await pool.connect();
  try {
    await client.query(BEGIN_CLAIM);
    const claimed = await client.query<{ id: string; size: number }>(
      only
        ? `SELECT id, size FROM messages WHERE "parseState" = 'pending' AND id = ANY($2::bigint[]) ORDER BY id LIMIT $1 FOR UPDATE`
        : after
          ? `SELECT id, size FROM messages WHERE "parseState" = 'pending' AND id > $2::bigint ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`
          : `SELECT id, size FROM messages WHERE "parseState" = 'pending' ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      only ? [PARSE_BATCH_MESSAGES, only] : after ? [PARSE_BATCH_MESSAGES, after] : [PARSE_BATCH_MESSAGES],
    );
    if (claimed.rows.length === 0) {
      await client.query('COMMIT');
      return null;
    }
    // Claimed rows beyond the byte budget stay pending (their locks go at COMMIT).
    let bytes = 0;
    const ids = claimed.rows.filter((row, i) => (bytes += row.size) <= PARSE_BATCH_BYTES || i === 0).map((r) => r.id);
    // Binary COPY: the octets as stored, not hex text twice their size (binary-copy.ts).
    const raws = (await selectBinary(client, `SELECT id, raw FROM messages WHERE id = ANY(${bigintArrayLiteral(ids)}) ORDER BY id`)).map(
      ([id, raw]) => ({ id: decode.int8(id!), raw: raw! }),
    );
    const outcomes: ParseOutcome[] = [];
    const started = Date.now();
    for (const { id, raw } of raws) {
      if (outcomes.length > 0 && Date.now() - started >= PARSE_SLICE_MS) break;
      // Hashed here rather than at ingest: it is off the acknowledgement path (0.04 ms per 50 KB).
      const sha256 = hash('sha256', raw, 'hex');
      try {
        outcomes.push({ id, sha256, parsed: await parseMessage(raw) });
      } catch (error) {
        const failure = String((error as Error)?.message ?? error).slice(0, MAX_PARSE_ERROR_LENGTH);
        log.debug(`parser: message ${id} did not parse: ${failure}`);
        outcomes.push({ id, sha256, failure });
      }
      await yieldToEventLoop(); // let SMTP sessions run between two parses
    }
    raws.length = 0;
    await client.query('SAVEPOINT parsed_fields');
    try {
      await writeOutcomes(client, outcomes);
      await client.query('RELEASE SAVEPOINT parsed_fields');
    } catch {
      // A value PostgreSQL refuses fails the whole statement: find the culprit one by one, and
      // mark it failed rather than leave it pending forever.
      await client.query('ROLLBACK TO SAVEPOINT parsed_fields');
      for (const outcome of outcomes) {
        await client.query('SAVEPOINT parsed_fields');
        try {
          await writeOutcomes(client, [outcome]);
          await client.query('RELEASE SAVEPOINT parsed_fields');
        } catch (error) {
          await client.query('ROLLBACK TO SAVEPOINT parsed_fields');
          const failure = `storing the parsed fields failed: ${(error as Error).message}`.slice(0, MAX_PARSE_ERROR_LENGTH);
          await writeOutcomes(client, [{ id: outcome.id, sha256: outcome.sha256, failure }]);
        }
      }
    }
    await client.query('COMMIT');
    return { lastParsed: outcomes[outcomes.length - 1]!.id, reachedNewest: claimed.rows.length < PARSE_BATCH_MESSAGES };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** `sha256`: of the raw bytes, written with the outcome either way. */
type ParseOutcome = { id: string; sha256: string; parsed: ParsedMessage } | { id: string; sha256: string; failure: string };

/** Writes a batch's results in a few statements, whatever the batch size. */
async function writeOutcomes(client: pg.ClientBase, outcomes: readonly ParseOutcome[]): Promise<void> {
  const parsed = outcomes.filter((o): o is { id: string; sha256: string; parsed: ParsedMessage } => 'parsed' in o);
  const failed = outcomes.filter((o): o is { id: string; sha256: string; failure: string } => 'failure' in o);
  if (parsed.length > 0) {
    // The fields in one JSON document per batch, where 12 text[] parameters cost node-pg an
    // escaping pass over every value (JSON texts included) and PostgreSQL an array parse before
    // each jsonb parse. The bodies stay text[]: large, and JSON.stringify escapes them far more
    // slowly than node-pg does. ROWS FROM zips the three by position.
    const fields = parsed.map(({ id, sha256, parsed: m }) => ({
      id, sha256, subject: m.subject, from: m.from, to: m.to, cc: m.cc, reply_to: m.replyTo, date: m.date, message_id: m.messageId,
      in_reply_to: m.inReplyTo, refs: m.references, headers: m.headers, header_addresses: headerAddressKeys(m),
    }));
    let json = JSON.stringify(fields);
    // JSON.stringify writes a lone surrogate (decoded text can hold one) as a \udXXX escape,
    // which PostgreSQL's json refuses; as a text parameter it became U+FFFD (UTF-8 encoding).
    if (json.includes('\\ud')) json = JSON.stringify(fields, (_key, value: unknown) => (typeof value === 'string' ? value.replace(LONE_SURROGATE, '\uFFFD') : value));
    await client.query(
      `UPDATE messages m SET "parseState" = 'parsed', "parseError" = NULL, "parsedAt" = now(), sha256 = u.sha256,
         subject = u.subject, "fromAddress" = u.from, "toAddresses" = u.to, "ccAddresses" = u.cc, "replyTo" = u.reply_to,
         date = u.date, "messageIdHeader" = u.message_id, "inReplyTo" = u.in_reply_to, "references" = u.refs,
         headers = u.headers, "headerAddresses" = u.header_addresses, text = u.text, html = u.html
       FROM ROWS FROM (
              json_to_recordset($1::json) AS (id bigint, sha256 text, subject text, "from" jsonb, "to" jsonb, cc jsonb, reply_to jsonb,
                date timestamptz, message_id text, in_reply_to text, refs text[], headers jsonb, header_addresses text[]),
              unnest($2::text[]), unnest($3::text[])
            ) AS u(id, sha256, subject, "from", "to", cc, reply_to, date, message_id, in_reply_to, refs, headers, header_addresses, text, html)
       WHERE m.id = u.id`,
      [json, parsed.map((o) => o.parsed.text), parsed.map((o) => o.parsed.html)],
    );
    await client.query('DELETE FROM attachments WHERE "messageId" = ANY($1::bigint[])', [parsed.map((o) => o.id)]);
    const attachments = parsed.flatMap((o) => o.parsed.attachments.map((a, position) => ({ ...a, messageId: o.id, position })));
    if (attachments.length > 0) {
      const a = attachments;
      await client.query(
        `INSERT INTO attachments ("messageId", position, filename, "contentType", size, "contentId", disposition, sha256)
         SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[], $8::text[])`,
        [
          a.map((x) => x.messageId), a.map((x) => x.position), a.map((x) => x.filename), a.map((x) => x.contentType),
          a.map((x) => x.size), a.map((x) => x.contentId), a.map((x) => x.disposition), a.map((x) => x.sha256),
        ],
      );
    }
  }
  if (failed.length > 0) {
    await client.query(
      `UPDATE messages m SET "parseState" = 'failed', "parseError" = u.error, "parsedAt" = now(), sha256 = u.sha256
         FROM unnest($1::bigint[], $2::text[], $3::text[]) AS u(id, error, sha256) WHERE m.id = u.id`,
      [failed.map((o) => o.id), failed.map((o) => o.failure.replaceAll('\u0000', '')), failed.map((o) => o.sha256)],
    );
  }
}
