// The parsed view of a stored message (mailparser), everything the API and UI show besides the
// raw bytes. Derived data: it may be recomputed from `raw` at any time (DESIGN invariant 4).
import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject, type EmailAddress } from 'mailparser';

export interface ParsedAddress {
  name: string;
  address: string;
}

export interface ParsedAttachment {
  filename: string | null;
  contentType: string;
  size: number;
  contentId: string | null;
  disposition: string | null;
  sha256: string;
}

export interface ParsedMessage {
  subject: string | null;
  from: ParsedAddress[];
  to: ParsedAddress[];
  cc: ParsedAddress[];
  replyTo: ParsedAddress[];
  date: Date | null;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  /** Top-level header fields in order, unfolded, values as sent (encoded words not decoded). */
  headers: { name: string; value: string }[];
  text: string | null;
  html: string | null;
  attachments: ParsedAttachment[];
}

export async function parseMessage(raw: Buffer): Promise<ParsedMessage> {
  const parsed = await simpleParser(raw, {
    // Derived HTML for text-only mail and link rewriting are presentation, not data.
    skipTextToHtml: true,
    skipTextLinks: true,
    skipImageLinks: true,
  });
  const references = parsed.references === undefined ? [] : Array.isArray(parsed.references) ? parsed.references : [parsed.references];
  return {
    subject: clean(parsed.subject ?? null),
    from: addresses(parsed.from),
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    replyTo: addresses(parsed.replyTo),
    date: parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : null,
    messageId: clean(parsed.messageId ?? null),
    inReplyTo: clean(parsed.inReplyTo ?? null),
    references: references.map((r) => clean(r)!),
    headers: parsed.headerLines.map(({ line }) => {
      const colon = line.indexOf(':');
      const name = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/\r?\n[ \t]/g, ' ').trim();
      return { name: clean(name)!, value: clean(value)! };
    }),
    text: clean(parsed.text ?? null),
    html: typeof parsed.html === 'string' ? clean(parsed.html) : null,
    attachments: parsed.attachments.map((a) => ({
      filename: clean(a.filename ?? null),
      contentType: clean(a.contentType) ?? 'application/octet-stream',
      size: a.content.length,
      contentId: clean(a.contentId ?? null),
      disposition: clean(a.contentDisposition ?? null),
      sha256: createHash('sha256').update(a.content).digest('hex'),
    })),
  };
}

function addresses(field: AddressObject | AddressObject[] | undefined): ParsedAddress[] {
  if (!field) return [];
  const list: ParsedAddress[] = [];
  const visit = (entries: EmailAddress[]) => {
    for (const entry of entries) {
      if (entry.group) visit(entry.group);
      else list.push({ name: clean(entry.name) ?? '', address: clean(entry.address ?? '') ?? '' });
    }
  };
  for (const object of Array.isArray(field) ? field : [field]) visit(object.value);
  return list;
}

/** PostgreSQL text and jsonb refuse NUL characters; a decoded header can contain one. */
function clean(value: string | null): string | null {
  if (value === null) return null;
  return value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value;
}
