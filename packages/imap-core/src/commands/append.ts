// tag APPEND mailbox [(flags)] [date-time] literal   (RFC 3501 §6.3.11; RFC 4315 APPENDUID;
// RFC 7889 APPENDLIMIT; IMAP.md M46). TOOBIG and TRYCREATE are answered before the `+`.
import { defineCommand } from '../command.ts';
import type { Connection } from '../connection.ts';
import { ImapError } from '../errors.ts';
import { normalizeLineEndings } from '../mime/index.ts';
import type { Decoder } from '../wire/decoder.ts';

function parseOptions(dec: Decoder): { flags: string[]; date: { date: Date; tzOffsetMinutes: number } | null } {
  let flags: string[] = [];
  let date: { date: Date; tzOffsetMinutes: number } | null = null;
  if (dec.peek() === 0x28) {
    flags = dec.flagList();
    if (flags.some((f) => f === '\\Recent' || f === '\\*')) dec.fail('\\Recent and \\* cannot be appended');
    dec.sp();
  }
  if (dec.peek() === 0x22) {
    date = dec.dateTimeWithZone();
    dec.sp();
  }
  return { flags, date };
}

async function requireMailbox(conn: Connection, name: string): Promise<void> {
  try {
    await conn.backendSession.status(name);
  } catch (err) {
    if (err instanceof ImapError && err.type === 'NO') throw ImapError.tryCreate();
    throw err;
  }
}

export const append = defineCommand({
  names: ['APPEND'],
  states: ['authenticated', 'selected'],
  async checkLiteral(conn, head, size) {
    let name: string;
    try {
      name = head.sp().mailbox();
      head.sp();
      parseOptions(head);
    } catch (err) {
      if (err instanceof ImapError) throw err;
      return null; // not (yet) at the message literal: the ordinary literal limit applies
    }
    if (head.pos !== head.buf.length) return null;
    if (size > conn.limits.maxAppendBytes) throw ImapError.tooBig(`Message exceeds APPENDLIMIT ${conn.limits.maxAppendBytes}`);
    await requireMailbox(conn, name);
    return 'accept';
  },
  parse(dec) {
    const name = dec.sp().mailbox();
    dec.sp();
    const { flags, date } = parseOptions(dec);
    const raw = dec.stringBytes();
    dec.end();
    return { name, flags, date, raw };
  },
  async run({ conn }, { name, flags, date, raw }) {
    if (raw.length > conn.limits.maxAppendBytes) throw ImapError.tooBig();
    await requireMailbox(conn, name);
    const data = await conn.backendSession.append(name, {
      raw: normalizeLineEndings(Buffer.from(raw)),
      flags,
      internalDate: date?.date ?? null,
      ...(date ? { internalDateTzOffset: date.tzOffsetMinutes } : {}),
    });
    return { code: `APPENDUID ${data.uidValidity} ${data.uid}`, text: 'APPEND completed' };
  },
});
