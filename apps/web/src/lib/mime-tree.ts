// The MIME part tree of a raw message, for the "Structure" tab: type, size, transfer
// encoding, charset, filename per part. A light reading of headers and boundaries; bodies are
// not decoded. Bounded in depth and part count so hostile input stays cheap.

export interface MimePart {
  path: string;
  contentType: string;
  charset: string | null;
  encoding: string | null;
  disposition: string | null;
  filename: string | null;
  size: number;
  children: MimePart[];
}

const MAX_DEPTH = 20;
const MAX_PARTS = 500;

interface Headers {
  get(name: string): string | null;
}

function parseHeaders(block: string): Headers {
  const unfolded = block.replace(/\r?\n[ \t]+/g, ' ');
  const map = new Map<string, string>();
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!map.has(name)) map.set(name, line.slice(colon + 1).trim());
  }
  return { get: (name) => map.get(name) ?? null };
}

/** A parameter of a structured header value (`boundary`, `charset`, `filename`, `name`). */
export function headerParam(value: string | null, param: string): string | null {
  if (value === null) return null;
  const match = new RegExp(`(?:^|;)\\s*${param}\\*?\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(value);
  if (!match) return null;
  const raw = match[1] ?? match[2] ?? '';
  const extended = /^[\w-]*'[\w-]*'(.*)$/.exec(raw);
  if (extended) {
    try {
      return decodeURIComponent(extended[1]!);
    } catch {
      return extended[1]!;
    }
  }
  return raw;
}

function splitHeaderBody(text: string): [string, string] {
  const match = /\r?\n\r?\n/.exec(text);
  if (!match) return [text, ''];
  return [text.slice(0, match.index), text.slice(match.index + match[0].length)];
}

export function parseMimeTree(raw: string): MimePart {
  let count = 0;
  const walk = (text: string, path: string, depth: number, defaultType: string): MimePart => {
    count += 1;
    const [headerBlock, body] = splitHeaderBody(text);
    const headers = parseHeaders(headerBlock);
    const contentTypeHeader = headers.get('content-type');
    const contentType = (contentTypeHeader?.split(';')[0]?.trim().toLowerCase() || defaultType);
    const disposition = headers.get('content-disposition');
    const part: MimePart = {
      path,
      contentType,
      charset: headerParam(contentTypeHeader, 'charset'),
      encoding: headers.get('content-transfer-encoding')?.toLowerCase() ?? null,
      disposition: disposition?.split(';')[0]?.trim().toLowerCase() ?? null,
      filename: headerParam(disposition, 'filename') ?? headerParam(contentTypeHeader, 'name'),
      size: Buffer.byteLength(body),
      children: [],
    };
    const boundary = headerParam(contentTypeHeader, 'boundary');
    if (contentType.startsWith('multipart/') && boundary && depth < MAX_DEPTH) {
      const childType = contentType === 'multipart/digest' ? 'message/rfc822' : 'text/plain';
      const delimiter = `--${boundary}`;
      const pieces = body.split(new RegExp(`\\r?\\n?${escape(delimiter)}(?:--)?[ \\t]*\\r?\\n?`));
      // pieces[0] is the preamble; the last is the epilogue after the closing delimiter.
      const inner = pieces.slice(1, body.includes(`${delimiter}--`) ? -1 : undefined);
      inner.forEach((piece, index) => {
        if (count < MAX_PARTS) part.children.push(walk(piece, path ? `${path}.${index + 1}` : String(index + 1), depth + 1, childType));
      });
    } else if (contentType === 'message/rfc822' && depth < MAX_DEPTH && count < MAX_PARTS) {
      part.children.push(walk(body, path ? `${path}.1` : '1', depth + 1, 'text/plain'));
    }
    return part;
  };
  return walk(raw, '', 0, 'text/plain');
}

function escape(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}
