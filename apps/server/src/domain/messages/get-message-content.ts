// The raw .eml, the HTML or text part alone, and attachment content (re-parsed from the raw
// bytes: only attachment metadata is stored, DESIGN invariant 4).
import { simpleParser } from 'mailparser';
import { bigintLiteral, selectBinary } from '../../db/binary-copy.ts';
import { AppError } from '../app-error.ts';
import { ensureParsed, type ParseDeps } from './ensure-parsed.ts';

export async function getRawMessage(deps: ParseDeps, id: string): Promise<Buffer> {
  // Binary COPY: the octets as stored, not hex text twice their size (binary-copy.ts).
  const rows = /^\d{1,19}$/.test(id)
    ? await selectBinary(deps.pool, `SELECT raw FROM messages WHERE id = ${bigintLiteral(id)} AND "deletedAt" IS NULL`)
    : [];
  const raw = rows[0]?.[0];
  if (!raw) throw new AppError('message_not_found', `no message with id ${id}`);
  return raw;
}

export async function getMessagePart(deps: ParseDeps, id: string, part: 'html' | 'text'): Promise<string> {
  await ensureParsed(deps, [id]);
  const result = await deps.pool.query<{ body: string | null }>(
    `SELECT ${part === 'html' ? 'html' : 'text'} AS body FROM messages WHERE id = $1::bigint AND "deletedAt" IS NULL`,
    [id],
  );
  const row = result.rows[0];
  if (!row) throw new AppError('message_not_found', `no message with id ${id}`);
  if (row.body === null) throw new AppError('part_not_found', `message ${id} has no ${part === 'html' ? 'HTML' : 'plain-text'} body`);
  return row.body;
}

export interface AttachmentContent {
  filename: string | null;
  contentType: string;
  content: Buffer;
}

export async function getAttachment(deps: ParseDeps, id: string, attachmentId: string): Promise<AttachmentContent> {
  await ensureParsed(deps, [id]);
  const result = await deps.pool.query<{ position: number; filename: string | null; content_type: string }>(
    `SELECT a.position, a.filename, a."contentType" AS content_type FROM attachments a JOIN messages m ON m.id = a."messageId"
      WHERE a.id = $1::bigint AND a."messageId" = $2::bigint AND m."deletedAt" IS NULL`,
    [attachmentId, id],
  );
  const row = result.rows[0];
  if (!row) throw new AppError('attachment_not_found', `message ${id} has no attachment ${attachmentId}`);
  const parsed = await simpleParser(await getRawMessage(deps, id), { skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true });
  const attachment = parsed.attachments[row.position];
  if (!attachment) throw new AppError('attachment_not_found', `message ${id} has no attachment ${attachmentId}`);
  return { filename: row.filename, contentType: row.content_type, content: attachment.content };
}
