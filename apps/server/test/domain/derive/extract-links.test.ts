import { describe, expect, it } from 'vitest';
import { extractLinks, trimUrl } from '../../../src/domain/messages/derive/extract-links.ts';

describe('extractLinks', () => {
  it.each([
    ['a double-quoted href with its text', '<a href="https://app.test/verify?t=1">Verify email</a>', [{ href: 'https://app.test/verify?t=1', text: 'Verify email' }]],
    ['a single-quoted href', "<a class='btn' href='https://x.test/a'>Go</a>", [{ href: 'https://x.test/a', text: 'Go' }]],
    ['an unquoted href', '<a href=https://x.test/b>B</a>', [{ href: 'https://x.test/b', text: 'B' }]],
    ['entities in href and text', '<a href="https://x.test/?a=1&amp;b=2">Tom &amp; Jerry</a>', [{ href: 'https://x.test/?a=1&b=2', text: 'Tom & Jerry' }]],
    ['nested markup in the text', '<A HREF="https://x.test/c"><span><b>Click</b>\n here</span></A>', [{ href: 'https://x.test/c', text: 'Click here' }]],
    ['mailto links', '<a href="mailto:help@x.test">Help</a>', [{ href: 'mailto:help@x.test', text: 'Help' }]],
    ['anchors without href are skipped', '<a name="top">Top</a>', []],
    ['empty href is skipped', '<a href="">Nothing</a>', []],
  ])('HTML: %s', (_name, html, expected) => {
    expect(extractLinks(html, null)).toEqual(expected.map((l) => ({ ...l, source: 'html' })));
  });

  it.each([
    ['a bare URL', 'Open https://x.test/verify?t=abc to continue', ['https://x.test/verify?t=abc']],
    ['sentence punctuation is not part of the URL', 'See https://x.test/a. Or https://x.test/b, or https://x.test/c!', ['https://x.test/a', 'https://x.test/b', 'https://x.test/c']],
    ['a URL in parentheses', '(https://x.test/p)', ['https://x.test/p']],
    ['balanced parentheses inside the URL are kept', 'https://en.wiki.test/Foo_(bar)', ['https://en.wiki.test/Foo_(bar)']],
    ['angle-bracketed URLs', '<https://x.test/angle>', ['https://x.test/angle']],
    ['http and https', 'http://a.test https://b.test', ['http://a.test', 'https://b.test']],
    ['no URL', 'nothing here', []],
  ])('text: %s', (_name, text, expected) => {
    expect(extractLinks(null, text)).toEqual(expected.map((href) => ({ href, text: href, source: 'text' })));
  });

  it('lists HTML links first, then text links, each once', () => {
    const links = extractLinks('<a href="https://x.test/a">A</a><a href="https://x.test/a">A</a>', 'https://x.test/a');
    expect(links).toEqual([
      { href: 'https://x.test/a', text: 'A', source: 'html' },
      { href: 'https://x.test/a', text: 'https://x.test/a', source: 'text' },
    ]);
  });

  it('trimUrl drops an unbalanced closing bracket', () => {
    expect(trimUrl('https://x.test/a)')).toBe('https://x.test/a');
    expect(trimUrl('https://x.test/a].')).toBe('https://x.test/a');
  });
});
