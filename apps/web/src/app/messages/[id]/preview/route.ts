// The preview document of the sandboxed frame: the message HTML with cid: images inlined as
// data: URLs (fetched through the API) and a CSP that forbids scripts, forms, frames and - until
// the user allows it - every remote load. The `sandbox` CSP directive keeps it sandboxed even
// when opened directly in a tab.
import type { Message } from '@letterbox/contracts';
import { api } from '~/lib/api';
import { ApiError } from '~/lib/api-error';
import { normaliseContentId, preparePreviewHtml, previewCsp, referencedContentIds, toDataUrl } from '~/lib/preview-html';

export const dynamic = 'force-dynamic';

/** Inline images bigger than this in total stay as (blocked) cid: references. */
const MAX_INLINE_BYTES = 10 * 1024 * 1024;
const NO_HTML = '<p style="font-family:system-ui;color:#666">This message has no HTML body.</p>';
const NOT_FOUND = '<p style="font-family:system-ui">Message not found.</p>';

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  const url = new URL(request.url);
  const remote = url.searchParams.get('remote') === '1';
  const scheme = url.searchParams.get('scheme') === 'dark' ? 'dark' : 'light';
  // One API call for the HTML and the attachment list; more only for cid: images.
  let message: Message | null = null;
  try {
    if (/^\d{1,19}$/.test(id)) message = await api.messages.get(id);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
  }
  const html = message === null ? NOT_FOUND : (message.html ?? NO_HTML);
  const inline = new Map<string, string>();
  const wanted = referencedContentIds(html);
  let budget = MAX_INLINE_BYTES;
  for (const attachment of message?.attachments ?? []) {
    if (attachment.contentId === null || !wanted.includes(normaliseContentId(attachment.contentId))) continue;
    if (attachment.size > budget) continue;
    budget -= attachment.size;
    inline.set(normaliseContentId(attachment.contentId), toDataUrl(attachment.contentType, await api.messages.attachment(id, attachment.id)));
  }
  return new Response(preparePreviewHtml(html, { remote, scheme, inline }), {
    status: message === null ? 404 : 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': previewCsp(remote),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'private, no-store',
    },
  });
}
