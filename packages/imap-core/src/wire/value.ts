/**
 * A protocol value in a server response, before it is encoded to bytes.
 *
 * The encoder (wire/encoder.ts) turns these into wire syntax:
 * - `null`            -> NIL
 * - `number`/`bigint` -> a number (uint32 / uint63)
 * - `string`          -> a quoted string when it is 7-bit printable and short, else a literal
 * - `Buffer`          -> always a literal (message bytes; may hold 8-bit data)
 * - `Atom`            -> written as is (flags, keywords, response names such as FETCH or LIST)
 * - `ImapValue[]`     -> a parenthesised list, items separated by one space
 * - `Section`         -> a FETCH item name such as `BODY[1.2]<0>` written as is, followed by its value
 */
export type ImapValue = null | number | bigint | string | Buffer | Atom | ImapValue[];

export class Atom {
  constructor(readonly value: string) {}
}

export const atom = (value: string): Atom => new Atom(value);
