// List-Unsubscribe targets (RFC 2369) and one-click unsubscribe (RFC 8058).
import type { Unsubscribe } from '@letterbox/contracts';

const TARGET = /<\s*([^>\s]+)\s*>/g;

export function listUnsubscribe(headers: readonly { name: string; value: string }[]): Unsubscribe {
  const targets: Unsubscribe['targets'] = [];
  let oneClick = false;
  for (const header of headers) {
    const name = header.name.toLowerCase();
    if (name === 'list-unsubscribe') {
      for (const match of header.value.matchAll(TARGET)) {
        const url = match[1]!;
        if (/^mailto:/i.test(url)) targets.push({ kind: 'mailto', url });
        else if (/^https?:\/\//i.test(url)) targets.push({ kind: 'http', url });
      }
    } else if (name === 'list-unsubscribe-post' && /list-unsubscribe\s*=\s*one-click/i.test(header.value)) {
      oneClick = true;
    }
  }
  return { targets, oneClick };
}
