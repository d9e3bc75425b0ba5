import { describe, expect, it } from 'vitest';
import { preparePreviewHtml, previewCsp, referencedContentIds } from '../../src/lib/preview-html';

const none = new Map<string, string>();

describe('previewCsp', () => {
  it('sandboxes and allows no script, frame, form or remote load by default', () => {
    const csp = previewCsp(false);
    expect(csp.split('; ')[0]).toBe('sandbox');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'none'");
    expect(csp).not.toMatch(/script-src|http:|https:/);
  });
  it('allows http(s) images, styles, fonts and media when remote content is on, still no scripts', () => {
    const csp = previewCsp(true);
    expect(csp).toContain('img-src data: http: https:');
    expect(csp).not.toContain('script-src');
  });
});

describe('preparePreviewHtml', () => {
  it('resolves cid: references by Content-ID, case-insensitively and URL-decoded', () => {
    const inline = new Map([['logo@x.test', 'data:image/png;base64,AAA']]);
    expect(referencedContentIds('<img src="cid:Logo%40x.test"><div style="background:url(cid:logo@x.test)">')).toEqual(['logo@x.test']);
    const out = preparePreviewHtml('<img src="cid:Logo@x.test"><img src="cid:missing">', { remote: false, scheme: 'light', inline });
    expect(out).toContain('<img src="data:image/png;base64,AAA">');
    expect(out).toContain('cid:missing');
  });
  it('drops meta refresh in any spelling', () => {
    const out = preparePreviewHtml('<META HTTP-EQUIV=Refresh CONTENT="0;url=http://x"><p>x</p>', { remote: false, scheme: 'light', inline: none });
    expect(out).not.toMatch(/refresh/i);
  });
  it('emulates dark mode: colour scheme dark, dark media queries apply and light ones do not', () => {
    const out = preparePreviewHtml('<!DOCTYPE html><style>@media (prefers-color-scheme: dark){b{}} @media (prefers-color-scheme:light){i{}}</style>', {
      remote: false, scheme: 'dark', inline: none,
    });
    expect(out.startsWith('<!DOCTYPE html><meta name="color-scheme" content="dark">')).toBe(true);
    expect(out).toContain('@media (min-width: 0px)');
    expect(out).toContain('@media (max-width: 0px)');
  });
});
