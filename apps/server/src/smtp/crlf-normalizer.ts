// Line endings normalised to CRLF once, at ingest (IMAP.md M24, DESIGN invariant 4): a bare LF
// becomes CRLF, a bare CR becomes CRLF, everything else is kept byte for byte. Streaming: a CR at
// the end of one chunk is resolved by the first byte of the next one (or by `end()`).

const CR = 0x0d;
const LF = 0x0a;
const CR_BYTE = Buffer.from([CR]);
const LF_BYTE = Buffer.from([LF]);
const NOTHING = Buffer.alloc(0);

export class CrlfNormalizer {
  private lastByte = -1;

  /** Returns the normalised chunk; the input itself when it needs no change (the common case). */
  push(chunk: Buffer): Buffer {
    const n = chunk.length;
    if (n === 0) return chunk;
    let parts: Buffer[] | null = null;
    let copyFrom = 0;
    if (this.lastByte === CR && chunk[0] !== LF) parts = [LF_BYTE];
    let cr = chunk.indexOf(CR);
    let lf = chunk.indexOf(LF);
    while (cr !== -1 || lf !== -1) {
      if (lf !== -1 && (cr === -1 || lf < cr)) {
        const before = lf > 0 ? chunk[lf - 1] : this.lastByte;
        if (before !== CR) {
          (parts ??= []).push(chunk.subarray(copyFrom, lf), CR_BYTE);
          copyFrom = lf;
        }
        lf = chunk.indexOf(LF, lf + 1);
      } else {
        // A CR at the very end waits for the next chunk's first byte.
        if (cr + 1 < n && chunk[cr + 1] !== LF) {
          (parts ??= []).push(chunk.subarray(copyFrom, cr + 1), LF_BYTE);
          copyFrom = cr + 1;
        }
        cr = chunk.indexOf(CR, cr + 1);
      }
    }
    this.lastByte = chunk[n - 1]!;
    if (parts === null) return chunk;
    parts.push(chunk.subarray(copyFrom));
    return Buffer.concat(parts);
  }

  /** What the input's end adds: the LF of a final bare CR. */
  end(): Buffer {
    return this.lastByte === CR ? LF_BYTE : NOTHING;
  }
}

export function normalizeCrlf(input: Buffer): Buffer {
  const normalizer = new CrlfNormalizer();
  const body = normalizer.push(input);
  const tail = normalizer.end();
  return tail.length === 0 ? body : Buffer.concat([body, tail]);
}
