// Every link of a message: anchors in the HTML (href and link text) and URLs in the plain text.
import type { Link } from '@letterbox/contracts';
import { decodeEntities, htmlToPlainText } from './html-text.ts';

const ANCHOR = /<a\b([^>]*)>([\s\S]*?)<\/a\s*>/gi;
const HREF = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))/i;
/** http(s) URLs in running text; stops at whitespace, quotes and angle brackets. */
const TEXT_URL = /\bhttps?:\/\/[^\s<>"'`]+/gi;
/** Sentence punctuation after a URL in prose belongs to the sentence, not the URL. */
const TRAILING_PUNCTUATION = /[.,;:!?'"]+$/;

export function extractLinks(html: string | null, text: string | null): Link[] {
  const links: Link[] = [];
  const seen = new Set<string>();
  const add = (link: Link) => {
    const key = `${link.source}\u0000${link.href}\u0000${link.text}`;
    if (link.href === '' || seen.has(key)) return;
    seen.add(key);
    links.push(link);
  };
  if (html !== null) {
    for (const anchor of html.matchAll(ANCHOR)) {
      const href = HREF.exec(anchor[1]!);
      if (!href) continue;
      const url = decodeEntities((href[1] ?? href[2] ?? href[3] ?? '').trim());
      add({ href: url, text: htmlToPlainText(anchor[2]!).replace(/\s+/g, ' '), source: 'html' });
    }
  }
  if (text !== null) {
    for (const match of text.matchAll(TEXT_URL)) {
      const url = trimUrl(match[0]);
      add({ href: url, text: url, source: 'text' });
    }
  }
  return links;
}

/** Drops trailing sentence punctuation and a closing bracket that has no opening one in the URL. */
export function trimUrl(url: string): string {
  let trimmed = url.replace(TRAILING_PUNCTUATION, '');
  for (const [open, close] of [['(', ')'], ['[', ']'], ['{', '}']] as const) {
    while (trimmed.endsWith(close) && count(trimmed, close) > count(trimmed, open)) {
      trimmed = trimmed.slice(0, -1).replace(TRAILING_PUNCTUATION, '');
    }
  }
  return trimmed;
}

function count(s: string, ch: string): number {
  return s.split(ch).length - 1;
}
