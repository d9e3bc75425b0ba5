// One-time codes (verification codes, OTPs, PINs) in a message. The heuristic:
//   - a candidate is 4-8 digits ("483920"), 3+3 digits split by a space or hyphen ("483 920",
//     reported without the separator), or 4-8 characters of upper-case letters AND digits
//     ("K7Q2XP");
//   - it counts only near a keyword (code, OTP, one-time, passcode, PIN, verification, verify,
//     security, authentication, 2FA, MFA, token): within KEYWORD_BEFORE characters before it or
//     KEYWORD_AFTER after it, in the same paragraph; in the subject anywhere in the subject;
//   - a candidate glued to more digits by - / : . (dates, times, versions, phone numbers) or
//     inside a longer word is not a code.
// Sources in order: subject, text body, else the HTML body's text. Each code once, first source wins.
import type { OneTimeCode } from '@letterbox/contracts';
import { htmlToPlainText } from './html-text.ts';

const KEYWORD = /\b(codes?|otp|one[- ]time|passcodes?|pin|verification|verify|security|authentication|2fa|mfa|token)\b/i;
/** "Your verification code is: 483920" puts the keyword a few words before the code. */
const KEYWORD_BEFORE = 80;
/** "483920 is your code" puts it just after. */
const KEYWORD_AFTER = 40;
const CANDIDATE = /(?<![\p{L}\p{N}])(\d{3}[ -]\d{3}|\d{4,8}|(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{4,8})(?![\p{L}\p{N}])/gu;
/** A neighbour like "-" or ":" followed by a digit makes it part of a date, time or number. */
const GLUED_BEFORE = /\d[-/:.]$/;
const GLUED_AFTER = /^[-/:.,]\d/;

export function findOneTimeCodes(subject: string | null, text: string | null, html: string | null): OneTimeCode[] {
  const codes: OneTimeCode[] = [];
  const seen = new Set<string>();
  const add = (code: string, source: OneTimeCode['source']) => {
    if (seen.has(code)) return;
    seen.add(code);
    codes.push({ code, source });
  };
  if (subject !== null && KEYWORD.test(subject)) {
    for (const code of candidates(subject, () => true)) add(code, 'subject');
  }
  const body = text ?? (html === null ? null : htmlToPlainText(html));
  if (body !== null) {
    for (const code of candidates(body, nearKeyword)) add(code, text !== null ? 'text' : 'html');
  }
  return codes;
}

function candidates(haystack: string, accept: (haystack: string, start: number, end: number) => boolean): string[] {
  const found: string[] = [];
  for (const match of haystack.matchAll(CANDIDATE)) {
    const start = match.index;
    const end = start + match[0].length;
    if (GLUED_BEFORE.test(haystack.slice(Math.max(0, start - 2), start))) continue;
    if (GLUED_AFTER.test(haystack.slice(end, end + 2))) continue;
    if (!accept(haystack, start, end)) continue;
    found.push(match[0].replace(/[ -]/g, ''));
  }
  return found;
}

function nearKeyword(haystack: string, start: number, end: number): boolean {
  const before = lastParagraph(haystack.slice(Math.max(0, start - KEYWORD_BEFORE), start));
  const after = firstParagraph(haystack.slice(end, end + KEYWORD_AFTER));
  return KEYWORD.test(before) || KEYWORD.test(after);
}

const PARAGRAPH_BREAK = /\n\s*\n/;

function lastParagraph(s: string): string {
  const parts = s.split(PARAGRAPH_BREAK);
  return parts[parts.length - 1]!;
}

function firstParagraph(s: string): string {
  return s.split(PARAGRAPH_BREAK)[0]!;
}
