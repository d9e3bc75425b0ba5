// The SMTP ingest generator's payload (../../smtp-ingest/lib/payloads.mjs) for runs too big to
// pre-build: the shared message body is built once, the per-message RCPT TO and header Buffers on
// demand, so a million-message run does not hold two million Buffers in the load generator.
// Message i of window w goes to a never-seen address: `m<offset + i>@<domain>`.
import { buildPayload } from '../../smtp-ingest/lib/payloads.mjs';

const CRLF = '\r\n';
const isIndex = (p) => typeof p === 'string' && /^\d+$/.test(p);

export function lazyPayload(size, offset, domain = 'million.test') {
  const shared = buildPayload(size, 0);
  const address = (i) => `m${offset + i}@${domain}`;
  const indexed = (make) => new Proxy([], { get: (target, p) => (isIndex(p) ? make(Number(p)) : target[p]) });
  const head = indexed((i) => Buffer.from(`To: <${address(i)}>${CRLF}Message-ID: <${offset + i}.scale@load.test>${CRLF}`, 'latin1'));
  return {
    ...shared,
    rcpt: indexed((i) => Buffer.from(`RCPT TO:<${address(i)}>${CRLF}`, 'latin1')),
    head,
    messageBytes: (i) => head[i].length + shared.body.length - 5 + CRLF.length,
  };
}
