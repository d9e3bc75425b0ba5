/**
 * Canonical line endings (IMAP.md M24): messages are stored with CRLF only, converted once at
 * ingest, so RFC822.SIZE, literal lengths and section offsets all count the same octets.
 */

/**
 * Converts bare LF and bare CR to CRLF. Returns the same Buffer (no copy) when it is already
 * canonical; otherwise a new one. Existing CRLF pairs are left alone, so applying it twice is a no-op.
 */
export function normalizeLineEndings(raw: Buffer): Buffer {
  let extra = 0;
  // Count bare LFs (not preceded by CR) and bare CRs (not followed by LF) with indexOf, which is
  // much faster than a JS byte loop on the common, already-canonical path.
  for (let pos = raw.indexOf(0x0a); pos !== -1; pos = raw.indexOf(0x0a, pos + 1)) {
    if (pos === 0 || raw[pos - 1] !== 0x0d) extra++;
  }
  for (let pos = raw.indexOf(0x0d); pos !== -1; pos = raw.indexOf(0x0d, pos + 1)) {
    if (raw[pos + 1] !== 0x0a) extra++;
  }
  if (extra === 0) return raw;
  const out = Buffer.allocUnsafe(raw.length + extra);
  let o = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === 0x0d) {
      out[o++] = 0x0d;
      out[o++] = 0x0a;
      if (raw[i + 1] === 0x0a) i++;
    } else if (c === 0x0a) {
      out[o++] = 0x0d;
      out[o++] = 0x0a;
    } else {
      out[o++] = c;
    }
  }
  return out;
}
