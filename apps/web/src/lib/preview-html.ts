// Message HTML made ready for the sandboxed preview frame (DESIGN invariant 6). The frame's
// `sandbox` attribute and the CSP header below are what keep it in its box; the rewriting here
// only resolves cid: images, drops meta refresh (defence in depth) and emulates dark mode.

export type PreviewScheme = 'light' | 'dark';

export interface PreviewOptions {
  remote: boolean;
  scheme: PreviewScheme;
  /** Inline parts by Content-ID (without angle brackets, lower-cased) as data: URLs. */
  inline: ReadonlyMap<string, string>;
}

/** Remote loads, when allowed, are plain http(s) fetches of images, styles, fonts and media. */
const REMOTE_SOURCES = ' http: https:';

export function previewCsp(remote: boolean): string {
  const extra = remote ? REMOTE_SOURCES : '';
  return [
    'sandbox',
    "default-src 'none'",
    `style-src 'unsafe-inline'${extra}`,
    `img-src data:${extra}`,
    `font-src data:${extra}`,
    `media-src data:${extra}`,
    "form-action 'none'",
    "base-uri 'none'",
    "frame-ancestors 'self'",
  ].join('; ');
}

/** Content-IDs the HTML refers to as `cid:...`, normalised. */
export function referencedContentIds(html: string): string[] {
  const ids = new Set<string>();
  for (const match of html.matchAll(/cid:([^"'\s)>]+)/gi)) ids.add(normaliseContentId(safeDecode(match[1]!)));
  return [...ids];
}

export function normaliseContentId(id: string): string {
  return id.replace(/^<|>$/g, '').toLowerCase();
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const META_REFRESH = /<meta\b[^>]*http-equiv\s*=\s*["']?refresh["']?[^>]*>/gi;
/** Dark-mode emulation: the message's own dark styles apply, its light-only ones do not. */
const DARK_QUERY = /prefers-color-scheme\s*:\s*dark/gi;
const LIGHT_QUERY = /prefers-color-scheme\s*:\s*light/gi;
const DARK_HEAD = '<meta name="color-scheme" content="dark"><style>:root{color-scheme:dark}</style>';
const LIGHT_HEAD = '<meta name="color-scheme" content="light">';

export function preparePreviewHtml(html: string, options: PreviewOptions): string {
  let out = html.replace(META_REFRESH, '');
  out = out.replace(/cid:([^"'\s)>]+)/gi, (whole, id: string) => options.inline.get(normaliseContentId(safeDecode(id))) ?? whole);
  if (options.scheme === 'dark') out = out.replace(DARK_QUERY, 'min-width: 0px').replace(LIGHT_QUERY, 'max-width: 0px');
  const head = options.scheme === 'dark' ? DARK_HEAD : LIGHT_HEAD;
  // After a leading doctype (keeps the message's rendering mode), else first.
  const doctype = /^\s*<!doctype[^>]*>/i.exec(out);
  return doctype ? `${doctype[0]}${head}${out.slice(doctype[0].length)}` : `${head}${out}`;
}

export function toDataUrl(contentType: string, bytes: Uint8Array): string {
  return `data:${contentType};base64,${Buffer.from(bytes).toString('base64')}`;
}
