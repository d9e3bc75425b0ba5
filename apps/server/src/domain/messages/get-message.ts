// One message with everything the API shows: envelope, headers, bodies, attachments list and the
// derived data (links, one-time codes, List-Unsubscribe).
import type { Message } from '@letterbox/contracts';
import { AppError } from '../app-error.ts';
import { extractLinks } from './derive/extract-links.ts';
import { findOneTimeCodes } from './derive/find-one-time-codes.ts';
import { listUnsubscribe } from './derive/list-unsubscribe.ts';
import { ensureParsed, type ParseDeps } from './ensure-parsed.ts';
import { accountAddress } from './account-address.ts';
import { addressList, headerList, SUMMARY_COLUMNS, toSummary, type SummaryRow } from './message-rows.ts';

interface DetailRow extends SummaryRow {
  reply_to: unknown;
  date: Date | null;
  message_id: string | null;
  in_reply_to: string | null;
  references: string[];
  headers: unknown;
  text: string | null;
  html: string | null;
  parse_error: string | null;
  auth_user: string | null;
  client_address: string | null;
  helo_name: string | null;
  tls: boolean;
}

export async function getMessage(deps: ParseDeps, id: string): Promise<Message> {
  await ensureParsed(deps, [id]);
  const result = await deps.pool.query<DetailRow>(
    `SELECT ${SUMMARY_COLUMNS}, m."replyTo" AS reply_to, m.date, m."messageIdHeader" AS message_id, m."inReplyTo" AS in_reply_to,
            m."references", m.headers, m.text, m.html, m."parseError" AS parse_error, m."authUser" AS auth_user,
            m."clientAddress" AS client_address, m."heloName" AS helo_name, m.tls
       FROM messages m WHERE m.id = $1::bigint AND m."deletedAt" IS NULL`,
    [id],
  );
  const row = result.rows[0];
  if (!row) throw new AppError('message_not_found', `no message with id ${id}`);
  const attachments = await deps.pool.query<{ id: string; filename: string | null; content_type: string; size: number; content_id: string | null; disposition: string | null }>(
    `SELECT id, filename, "contentType" AS content_type, size, "contentId" AS content_id, disposition
       FROM attachments WHERE "messageId" = $1::bigint ORDER BY position`,
    [id],
  );
  const summary = toSummary(row);
  const headers = headerList(row.headers);
  const inHeaders = new Set([...summary.to, ...summary.cc].map((a) => accountAddress(a.address)));
  return {
    ...summary,
    bcc: row.rcpt_to.filter((r) => !inHeaders.has(accountAddress(r))).map((address) => ({ name: '', address })),
    replyTo: addressList(row.reply_to),
    date: row.date?.toISOString() ?? null,
    messageId: row.message_id,
    inReplyTo: row.in_reply_to,
    references: row.references,
    headers,
    text: row.text,
    html: row.html,
    attachments: attachments.rows.map((a) => ({
      id: a.id, filename: a.filename, contentType: a.content_type, size: a.size, contentId: a.content_id, disposition: a.disposition,
    })),
    parseError: row.parse_error,
    smtp: {
      mailFrom: row.mail_from, rcptTo: row.rcpt_to, authUser: row.auth_user, clientAddress: row.client_address,
      heloName: row.helo_name, tls: row.tls,
    },
    links: extractLinks(row.html, row.text),
    codes: findOneTimeCodes(row.subject, row.text, row.html),
    unsubscribe: listUnsubscribe(headers),
  };
}
