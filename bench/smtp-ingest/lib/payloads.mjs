// The two message kinds the benchmark sends, built once as Buffers. Only the per-message header
// block (To, Message-ID) differs between messages; the shared part (the rest of the headers and
// the body, ending with the SMTP end-of-data marker) is one Buffer written for every message.
//
// Neither payload has a line starting with "." so no dot-stuffing is needed, and every line ends
// with CRLF, so a server that stores bytes as received stores exactly these bytes.

const CRLF = '\r\n';
const END_OF_DATA = '\r\n.\r\n';

/** Target total message sizes (headers + body), in bytes. */
export const PAYLOAD_SIZES = { '2k': 2 * 1024, '50k': 50 * 1024 };
/** Share of the 50 KB message taken by the base64 attachment; the rest is HTML. */
const ATTACHMENT_SHARE = 0.4;
const BASE64_LINE = 76;
const SENDER = 'load@bench.test';
const FIXED_DATE = 'Sun, 22 Nov 2026 03:00:00 +0000';
const BOUNDARY = '----=_bench_boundary_7f3a';

/** Envelope recipient and header To of message i of the measured run. */
export const recipientOf = (i) => `u${i}@load.test`;
/** Recipients of the warm-up messages sent before the clock starts; the check leaves them out. */
export const WARMUP_DOMAIN = 'warmup.test';
const warmupRecipientOf = (i) => `w${i}@${WARMUP_DOMAIN}`;

/** Deterministic filler text without lines starting with "." (no dot-stuffing needed). */
function fillerLines(totalBytes, lineBytes, prefix) {
  const words = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor';
  const lines = [];
  let size = 0;
  for (let n = 0; size < totalBytes; n += 1) {
    const line = `${prefix}${n} ${words} ${words}`.slice(0, lineBytes);
    lines.push(line);
    size += line.length + CRLF.length;
  }
  return lines.join(CRLF);
}

/** Deterministic pseudo-random bytes (xorshift), so the attachment does not compress to nothing. */
function pseudoRandomBytes(length) {
  const out = Buffer.allocUnsafe(length);
  let x = 0x9e3779b9;
  for (let i = 0; i < length; i += 1) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

function base64Lines(bytes) {
  const b64 = bytes.toString('base64');
  const lines = [];
  for (let i = 0; i < b64.length; i += BASE64_LINE) lines.push(b64.slice(i, i + BASE64_LINE));
  return lines.join(CRLF);
}

function commonHeaders(contentHeaders) {
  return [
    `From: Load Generator <${SENDER}>`,
    'Subject: Letterbox SMTP ingest benchmark',
    `Date: ${FIXED_DATE}`,
    'MIME-Version: 1.0',
    ...contentHeaders,
  ].join(CRLF);
}

function textMessage(targetBytes) {
  const headers = commonHeaders(['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 7bit']);
  const perMessageHeaderEstimate = 80;
  const bodyBytes = targetBytes - headers.length - perMessageHeaderEstimate - END_OF_DATA.length;
  return `${headers}${CRLF}${CRLF}${fillerLines(bodyBytes, 72, 'line ')}`;
}

function htmlWithAttachment(targetBytes) {
  const attachmentRaw = Math.floor((targetBytes * ATTACHMENT_SHARE * 3) / 4 / 1.03);
  const attachment = base64Lines(pseudoRandomBytes(attachmentRaw));
  const first = multipartMessage(attachment, targetBytes - attachment.length);
  const perMessageHeaderEstimate = 80;
  const excess = first.length + perMessageHeaderEstimate - targetBytes;
  return multipartMessage(attachment, targetBytes - attachment.length - excess);
}

function multipartMessage(attachment, htmlBytes) {
  const headers = commonHeaders([`Content-Type: multipart/mixed; boundary="${BOUNDARY}"`]);
  const paragraphs = fillerLines(htmlBytes, 90, '<p>para ').split(CRLF).map((l) => `${l}</p>`);
  const html = ['<!doctype html>', '<html><head><meta charset="utf-8"><title>bench</title></head><body>',
    '<h1>Letterbox benchmark</h1>', ...paragraphs, '</body></html>'].join(CRLF);
  return [
    headers, '',
    'This is a multi-part message in MIME format.',
    `--${BOUNDARY}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: 8bit', '',
    html,
    `--${BOUNDARY}`,
    'Content-Type: application/pdf; name="report.pdf"',
    'Content-Transfer-Encoding: base64',
    'Content-Disposition: attachment; filename="report.pdf"', '',
    attachment,
    `--${BOUNDARY}--`,
  ].join(CRLF);
}

const BUILDERS = { '2k': textMessage, '50k': htmlWithAttachment };

/**
 * Everything the load generator writes, pre-encoded.
 * - `mailFrom`, `dataCmd`, `body` are shared Buffers;
 * - `rcpt[i]` and `head[i]` are the per-message Buffers (built before the clock starts).
 */
export function buildPayload(sizeName, count, { warmup = false } = {}) {
  const to = warmup ? warmupRecipientOf : recipientOf;
  const build = BUILDERS[sizeName];
  if (!build) throw new Error(`unknown size ${sizeName} (use ${Object.keys(BUILDERS).join(' or ')})`);
  const body = Buffer.from(`${build(PAYLOAD_SIZES[sizeName])}${END_OF_DATA}`, 'utf8');
  const rcpt = new Array(count);
  const head = new Array(count);
  for (let i = 0; i < count; i += 1) {
    const address = to(i);
    rcpt[i] = Buffer.from(`RCPT TO:<${address}>${CRLF}`, 'latin1');
    head[i] = Buffer.from(`To: <${address}>${CRLF}Message-ID: <${i}.${warmup ? 'warmup' : 'bench'}@load.test>${CRLF}`, 'latin1');
  }
  return {
    sizeName,
    mailFrom: Buffer.from(`MAIL FROM:<${SENDER}>${CRLF}`, 'latin1'),
    dataCmd: Buffer.from(`DATA${CRLF}`, 'latin1'),
    rcpt,
    head,
    body,
    /** Bytes of message i as the server stores it (headers + body, without the end marker). */
    messageBytes: (i) => head[i].length + body.length - END_OF_DATA.length + CRLF.length,
  };
}
