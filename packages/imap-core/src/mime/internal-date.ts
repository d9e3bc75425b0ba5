/**
 * INTERNALDATE strings (RFC 3501 §9 `date-time`; IMAP.md M23): `"dd-Mon-yyyy hh:mm:ss +zzzz"`.
 * Output uses a two-digit day (`02-Jun-2025 …`); input accepts ` 2`, `2` and `02`.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/**
 * Formats `date` as an IMAP date-time in the zone `tzOffsetMinutes` east of UTC (default 0, i.e.
 * `+0000`). Without the surrounding quotes.
 */
export function formatInternalDate(date: Date, tzOffsetMinutes = 0): string {
  const local = new Date(date.getTime() + tzOffsetMinutes * 60_000);
  const sign = tzOffsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(tzOffsetMinutes);
  return (
    `${pad(local.getUTCDate())}-${MONTHS[local.getUTCMonth()]}-${pad(local.getUTCFullYear(), 4)} ` +
    `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())} ` +
    `${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`
  );
}

export interface ParsedInternalDate {
  /** The instant. */
  date: Date;
  /** The zone it was written in, minutes east of UTC (`-0130` ⇒ -90). */
  tzOffsetMinutes: number;
}

const RE = /^ ?(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/;

/**
 * Parses an IMAP date-time (without quotes); null when it is not one or names an impossible date
 * (`31-Feb-2025`, hour 24, zone minutes ≥ 60).
 */
export function parseInternalDate(str: string): ParsedInternalDate | null {
  const m = RE.exec(str);
  if (!m) return null;
  const day = Number(m[1]);
  const month = MONTHS.findIndex((x) => x.toLowerCase() === m[2]!.toLowerCase());
  const year = Number(m[3]);
  const hh = Number(m[4]);
  const mm = Number(m[5]);
  const ss = Number(m[6]);
  const zh = Number(m[8]);
  const zm = Number(m[9]);
  if (month < 0 || day < 1 || hh > 23 || mm > 59 || ss > 60 || zm > 59) return null;
  const d = new Date(0);
  d.setUTCFullYear(year, month, day); // setUTCFullYear keeps years below 100 as written
  if (d.getUTCDate() !== day) return null; // 31-Feb rolled over
  d.setUTCHours(hh, mm, Math.min(ss, 59), 0);
  const tz = (m[7] === '-' ? -1 : 1) * (zh * 60 + zm);
  return { date: new Date(d.getTime() - tz * 60_000), tzOffsetMinutes: tz };
}
