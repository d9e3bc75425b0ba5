/**
 * A FETCH body section (RFC 3501 §6.4.5 `section`), as the decoder parses it and the MIME helpers
 * resolve it.
 *
 * `part` is the dotted part path (`1.2` -> [1, 2]); empty for the whole message.
 * `text`:
 * - `undefined`            -> the whole part (`BODY[]`, `BODY[1.2]`)
 * - `'HEADER'` / `'TEXT'`  -> header block (with its blank line) / body of the message or of a message/rfc822 part
 * - `'HEADER.FIELDS'` / `'HEADER.FIELDS.NOT'` -> selected header lines plus the blank line; `fields` as requested
 * - `'MIME'`               -> the MIME header block of a part (only with a non-empty `part`)
 */
export interface SectionSpec {
  part: number[];
  text?: 'HEADER' | 'TEXT' | 'HEADER.FIELDS' | 'HEADER.FIELDS.NOT' | 'MIME';
  fields?: string[];
}

/** `<origin.count>` on a section. */
export interface Partial {
  origin: number;
  count: number;
}
