// Which test run a message belongs to, decided once at ingest from cheap sources only (no MIME
// parse on the acknowledgement path). Precedence, first match wins:
//   1. the SMTP AUTH username (a CI job authenticates as its run id),
//   2. an `X-Letterbox-Run:` header in the top-level header block,
//   3. a `+run-<id>` tag in the local part of the first recipient carrying one.

/** Only the first 64 KiB are scanned: headers of real messages fit, and the scan stays cheap. */
const HEADER_SCAN_LIMIT = 64 * 1024;
/** Run ids are identifiers, not prose; longer values are cut. */
const MAX_RUN_LENGTH = 200;
const RUN_HEADER = /^x-letterbox-run:[ \t]*(.*?)[ \t]*$/im;
const RUN_HEADER_NAME = /x-letterbox-run/i;
const RUN_TAG = /\+run-([A-Za-z0-9._-]+)@/;

export function findTestRun(raw: Buffer, authUser: string | null, rcptTo: readonly string[]): string | null {
  if (authUser) return authUser.slice(0, MAX_RUN_LENGTH);
  const fromHeader = runHeader(raw);
  if (fromHeader) return fromHeader.slice(0, MAX_RUN_LENGTH);
  for (const rcpt of rcptTo) {
    const tag = RUN_TAG.exec(rcpt);
    if (tag) return tag[1]!.slice(0, MAX_RUN_LENGTH);
  }
  return null;
}

const HEADER_END = Buffer.from('\r\n\r\n');

function runHeader(raw: Buffer): string | null {
  // Fault injection at RCPT TO asks before there is a message.
  if (raw.length === 0) return null;
  const scanned = raw.length > HEADER_SCAN_LIMIT ? raw.subarray(0, HEADER_SCAN_LIMIT) : raw;
  const end = scanned.indexOf(HEADER_END);
  const head = raw.toString('latin1', 0, end === -1 ? scanned.length : end);
  // Cheap reject before the regex: most messages carry no such header.
  if (!RUN_HEADER_NAME.test(head)) return null;
  const match = RUN_HEADER.exec(head);
  return match && match[1] ? Buffer.from(match[1], 'latin1').toString('utf8') : null;
}
