import { describe, expect, it } from 'vitest';
import { listUnsubscribe } from '../../../src/domain/messages/derive/list-unsubscribe.ts';

describe('listUnsubscribe', () => {
  it.each([
    ['mailto and https targets', [{ name: 'List-Unsubscribe', value: '<mailto:u@x.test?subject=unsub>, <https://x.test/u/1>' }],
      { targets: [{ kind: 'mailto', url: 'mailto:u@x.test?subject=unsub' }, { kind: 'http', url: 'https://x.test/u/1' }], oneClick: false }],
    ['one-click (RFC 8058)', [{ name: 'list-unsubscribe', value: '<https://x.test/u>' }, { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' }],
      { targets: [{ kind: 'http', url: 'https://x.test/u' }], oneClick: true }],
    ['other schemes are ignored', [{ name: 'List-Unsubscribe', value: '<ftp://x.test/u>' }], { targets: [], oneClick: false }],
    ['no header', [{ name: 'Subject', value: 'hi' }], { targets: [], oneClick: false }],
    ['a malformed value', [{ name: 'List-Unsubscribe', value: 'https://x.test/no-brackets' }], { targets: [], oneClick: false }],
  ])('%s', (_name, headers, expected) => {
    expect(listUnsubscribe(headers)).toEqual(expected);
  });
});
