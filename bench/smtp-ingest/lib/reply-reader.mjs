// Frames SMTP replies out of socket chunks without building strings for the common case: a reply
// is reported as its numeric code once its last line ("250 ..." as opposed to "250-...") arrives.
// Lines of multi-line replies are kept as text only when asked (EHLO, to see PIPELINING).

const LF = 0x0a;
const DIGIT_ZERO = 0x30;
const SPACE = 0x20;

export class ReplyReader {
  /** @param {(code: number, lines: string[] | null) => void} onReply */
  constructor(onReply) {
    this.onReply = onReply;
    this.rest = null;
    this.keepLines = false;
    this.lines = [];
  }

  /** Keep the text of the next reply's lines (for EHLO). */
  captureNext() {
    this.keepLines = true;
    this.lines = [];
  }

  push(chunk) {
    let buf = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    this.rest = null;
    let start = 0;
    for (let lf = buf.indexOf(LF, start); lf !== -1; lf = buf.indexOf(LF, start)) {
      this.line(buf, start, lf);
      start = lf + 1;
    }
    if (start < buf.length) this.rest = Buffer.from(buf.subarray(start));
  }

  line(buf, start, lf) {
    const code = (buf[start] - DIGIT_ZERO) * 100 + (buf[start + 1] - DIGIT_ZERO) * 10 + (buf[start + 2] - DIGIT_ZERO);
    const last = lf - start < 4 || buf[start + 3] === SPACE;
    if (this.keepLines) this.lines.push(buf.toString('latin1', start, lf).trimEnd());
    if (!last) return;
    const lines = this.keepLines ? this.lines : null;
    this.keepLines = false;
    this.lines = [];
    this.onReply(code, lines);
  }
}
