import { describe, expect, it } from 'vitest';
import { findOneTimeCodes } from '../../../src/domain/messages/derive/find-one-time-codes.ts';

describe('findOneTimeCodes', () => {
  it.each([
    ['digits after "code"', 'Your verification code is 483920.', ['483920']],
    ['digits before "code"', '483920 is your login code', ['483920']],
    ['a 4-digit PIN', 'PIN: 4821', ['4821']],
    ['an 8-digit OTP', 'OTP 12345678', ['12345678']],
    ['3+3 digits with a space, reported joined', 'Your code: 483 920', ['483920']],
    ['3+3 digits with a hyphen', 'Security code 483-920', ['483920']],
    ['upper-case alphanumeric', 'Use passcode K7Q2XP to sign in', ['K7Q2XP']],
    ['two codes', 'Code A: 1111. Backup code: 2222', ['1111', '2222']],
    ['one-time wording', 'Here is your one-time password: 908172', ['908172']],
  ])('finds %s', (_name, text, expected) => {
    expect(findOneTimeCodes(null, text, null).map((c) => c.code)).toEqual(expected);
  });

  it.each([
    ['numbers far from any keyword', 'Order 123456 shipped. '.padEnd(200, '.') + ' Thanks', []],
    ['no keyword at all', 'Call 5551234 today', []],
    ['dates', 'Your code expires on 2026-11-22', []],
    ['times', 'Code valid until 12:30', []],
    ['too short', 'code 123', []],
    ['too long', 'code 1234567890', []],
    ['lower-case words', 'your code is hello', []],
    ['letters-only capitals', 'CODE WORD', []],
    ['a keyword in another paragraph', 'Your code is below.\n\n\nInvoice 123456', []],
    ['digits inside a word', 'code abc12345def', []],
  ])('ignores %s', (_name, text, expected) => {
    expect(findOneTimeCodes(null, text, null).map((c) => c.code)).toEqual(expected);
  });

  it('reads the subject (keyword anywhere in it) before the body, each code once', () => {
    expect(findOneTimeCodes('123456 is your Acme code', 'Enter code 123456 or 654321 (code)', null)).toEqual([
      { code: '123456', source: 'subject' },
      { code: '654321', source: 'text' },
    ]);
  });

  it('falls back to the HTML body when there is no text body', () => {
    expect(findOneTimeCodes(null, null, '<p>Your code</p><p><b>778899</b></p>')).toEqual([{ code: '778899', source: 'html' }]);
  });
});
