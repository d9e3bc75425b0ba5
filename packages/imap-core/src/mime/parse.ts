/**
 * The one MIME parser (IMAP.md M33): every BODYSTRUCTURE, ENVELOPE and section fetch comes from the
 * tree it builds, so part numbering and section bytes can never disagree.
 *
 * The tree holds byte offsets into the raw CRLF message; it never copies or stringifies bodies.
 * Sizes are octets. Malformed MIME never throws: a multipart without a usable boundary or without
 * any delimiter becomes a leaf, a missing close delimiter ends the last part at the end of its
 * parent, and the limits below turn anything deeper or bigger into opaque leaves.
 * (RFC 2045 §5–6, RFC 2046 §5.1.1, RFC 5322 §2.1, RFC 6532 §3.7 for message/global.)
 */
import { type HeaderField, fieldValue, parseHeaderBlock, parseParamHeader, trimWsp } from './header.ts';

/** Deepest nesting of multiparts and messages; deeper bodies are opaque leaves (IMAP.md §4). */
export const MAX_MIME_DEPTH = 64;
/** Most nodes in one tree; once reached, containers are no longer split (IMAP.md §4). */
export const MAX_MIME_PARTS = 10_000;
export { MAX_HEADER_BYTES } from './header.ts';

export interface MimeLimits {
  maxDepth?: number;
  maxParts?: number;
}

export interface ContentType {
  /** Lower-cased media type and subtype (`multipart`, `mixed`). */
  type: string;
  subtype: string;
  /** Parameters as written (names keep their case and RFC 2231 `*`), values unquoted, undecoded. */
  params: [string, string][];
}

export interface ContentDisposition {
  /** Disposition type as written (`attachment`, `inline`). */
  value: string;
  params: [string, string][];
}

/**
 * One node: the whole message (root), a part of a multipart, or a message encapsulated in a
 * message/rfc822 or message/global part (`message`).
 *
 * Offsets: the header block is `[headerStart, headerEnd)` and includes its blank line;
 * `headerEnd === bodyStart`; the body is `[bodyStart, bodyEnd)`.
 * Strings are binary strings (one char per octet), unfolded and trimmed, never RFC 2047-decoded.
 */
export interface MimeNode {
  headerStart: number;
  headerEnd: number;
  bodyStart: number;
  bodyEnd: number;
  headers: HeaderField[];
  /** Effective type: the declared one, or the RFC 2045/2046 default, or application/octet-stream
   *  for a container that was degraded to an opaque leaf. */
  contentType: ContentType;
  /** True when the node had a syntactically valid Content-Type field. */
  hasContentType: boolean;
  disposition: ContentDisposition | null;
  contentId: string | null;
  description: string | null;
  /** Content-Transfer-Encoding as written (case kept), or null. */
  encoding: string | null;
  /** Content-Language values, split on commas. */
  language: string[] | null;
  location: string | null;
  md5: string | null;
  /** Body parts of a multipart (empty otherwise). */
  children: MimeNode[];
  /** The encapsulated message of a message/rfc822 or message/global part. */
  message: MimeNode | null;
  /** Nesting depth (root = 0). */
  depth: number;
  /** True when a limit or malformed input stopped the parser from looking inside this node. */
  opaque: boolean;
}

interface ParseState {
  raw: Buffer;
  parts: number;
  maxDepth: number;
  maxParts: number;
}

const OCTET_STREAM = (params: [string, string][] = []): ContentType => ({
  type: 'application',
  subtype: 'octet-stream',
  params,
});

/** Parses a whole message. Never throws. */
export function parseMime(raw: Buffer, limits: MimeLimits = {}): MimeNode {
  const state: ParseState = {
    raw,
    parts: 0,
    maxDepth: limits.maxDepth ?? MAX_MIME_DEPTH,
    maxParts: limits.maxParts ?? MAX_MIME_PARTS,
  };
  const root = parseHeaders(state, 0, raw.length, 0, defaultTextPlain());
  if (isContainer(root)) root.defer(state);
  return root;
}

/**
 * The node class. Only a root made by parseMime can be lazy: its body is parsed on first use of
 * `children`, `message`, `contentType` or `opaque` (all at once, same order and limits as an eager
 * parse, so the tree is identical). ENVELOPE, HEADER and HEADER.FIELDS read only `headers` and
 * offsets, so `FETCH 1:* (ENVELOPE)` never splits multipart bodies it does not need. Getters live
 * on the prototype, so eager nodes pay one field check.
 */
class Node implements MimeNode {
  hasContentType = false;
  disposition: ContentDisposition | null = null;
  contentId: string | null = null;
  description: string | null = null;
  encoding: string | null = null;
  language: string[] | null = null;
  location: string | null = null;
  md5: string | null = null;
  private _children: MimeNode[] = [];
  private _message: MimeNode | null = null;
  private _contentType: ContentType;
  private _opaque: boolean;
  /** Set while the body is still to be parsed. */
  private pending: ParseState | null = null;

  constructor(
    readonly headerStart: number,
    readonly headerEnd: number,
    readonly bodyStart: number,
    readonly bodyEnd: number,
    readonly headers: HeaderField[],
    contentType: ContentType,
    readonly depth: number,
    opaque: boolean,
  ) {
    this._contentType = contentType;
    this._opaque = opaque;
  }

  defer(state: ParseState): void {
    this.pending = state;
  }

  private expand(): void {
    const state = this.pending;
    if (state) {
      this.pending = null;
      parseBody(state, this);
    }
  }

  /** A plain MimeNode (body parsed), so JSON and structured clones see the public fields only. */
  toJSON(): MimeNode {
    return {
      headerStart: this.headerStart,
      headerEnd: this.headerEnd,
      bodyStart: this.bodyStart,
      bodyEnd: this.bodyEnd,
      headers: this.headers,
      contentType: this.contentType,
      hasContentType: this.hasContentType,
      disposition: this.disposition,
      contentId: this.contentId,
      description: this.description,
      encoding: this.encoding,
      language: this.language,
      location: this.location,
      md5: this.md5,
      children: this.children,
      message: this.message,
      depth: this.depth,
      opaque: this.opaque,
    };
  }

  get children(): MimeNode[] {
    if (this.pending) this.expand();
    return this._children;
  }
  set children(v: MimeNode[]) {
    if (this.pending) this.expand();
    this._children = v;
  }
  get message(): MimeNode | null {
    if (this.pending) this.expand();
    return this._message;
  }
  set message(v: MimeNode | null) {
    if (this.pending) this.expand();
    this._message = v;
  }
  get contentType(): ContentType {
    if (this.pending) this.expand();
    return this._contentType;
  }
  set contentType(v: ContentType) {
    if (this.pending) this.expand();
    this._contentType = v;
  }
  get opaque(): boolean {
    if (this.pending) this.expand();
    return this._opaque;
  }
  set opaque(v: boolean) {
    if (this.pending) this.expand();
    this._opaque = v;
  }
}

function defaultTextPlain(): ContentType {
  return { type: 'text', subtype: 'plain', params: [['CHARSET', 'US-ASCII']] };
}

function parseEntity(state: ParseState, start: number, end: number, depth: number, dflt: ContentType): MimeNode {
  const node = parseHeaders(state, start, end, depth, dflt);
  if (isContainer(node)) parseBody(state, node);
  return node;
}

function isContainer(node: MimeNode): boolean {
  const { type, subtype } = node.contentType;
  return type === 'multipart' || (type === 'message' && (subtype === 'rfc822' || subtype === 'global'));
}

/** A node from its header block; the body of a container is not looked at yet. */
function parseHeaders(state: ParseState, start: number, end: number, depth: number, dflt: ContentType): Node {
  const { raw } = state;
  state.parts++;
  const block = parseHeaderBlock(raw, start, end);
  const fields = block.fields;
  const node = new Node(start, block.bodyStart, block.bodyStart, end, fields, dflt, depth, block.truncated);

  // One pass over the fields; the first occurrence of each counts.
  let ct: HeaderField | undefined;
  let cd: HeaderField | undefined;
  let lang: HeaderField | undefined;
  for (const f of fields) {
    if (!f.lname.startsWith('content-')) continue;
    switch (f.lname) {
      case 'content-type':
        ct ??= f;
        break;
      case 'content-disposition':
        cd ??= f;
        break;
      case 'content-id':
        node.contentId ??= nonEmpty(raw, f);
        break;
      case 'content-description':
        node.description ??= nonEmpty(raw, f);
        break;
      case 'content-transfer-encoding':
        node.encoding ??= nonEmpty(raw, f);
        break;
      case 'content-location':
        node.location ??= nonEmpty(raw, f);
        break;
      case 'content-md5':
        node.md5 ??= nonEmpty(raw, f);
        break;
      case 'content-language':
        lang ??= f;
        break;
    }
  }
  if (ct) {
    const parsed = parseParamHeader(fieldValue(raw, ct));
    const m = /^([^/\s]+)\/([^/\s]+)$/.exec(parsed.value);
    if (m) {
      node.contentType = { type: m[1]!.toLowerCase(), subtype: m[2]!.toLowerCase(), params: parsed.params };
      node.hasContentType = true;
    }
  }
  if (cd) {
    const parsed = parseParamHeader(fieldValue(raw, cd));
    if (parsed.value) node.disposition = { value: parsed.value, params: parsed.params };
  }
  if (lang) {
    const list = fieldValue(raw, lang)
      .replace(/\([^()]*\)/g, '')
      .split(',')
      .map((s) => trimWsp(s))
      .filter(Boolean);
    node.language = list.length ? list : null;
  }

  return node;
}

/** Parses the body of a multipart or message/rfc822|global node into children / message. */
function parseBody(state: ParseState, node: MimeNode): void {
  const { raw } = state;
  const { type, subtype } = node.contentType;
  const depth = node.depth;
  if (node.opaque || depth >= state.maxDepth || state.parts >= state.maxParts) {
    degrade(node);
    return;
  }

  if (type === 'message') {
    node.message = parseEntity(state, node.bodyStart, node.bodyEnd, depth + 1, defaultTextPlain());
    return;
  }

  const boundary = node.contentType.params.find(([k]) => k.toLowerCase() === 'boundary')?.[1];
  if (!boundary || boundary.length > 200) {
    degrade(node);
    return;
  }
  const ranges = splitMultipart(raw, node.bodyStart, node.bodyEnd, Buffer.from('--' + boundary, 'latin1'));
  if (ranges.length === 0) {
    degrade(node);
    return;
  }
  const childDefault: () => ContentType =
    subtype === 'digest' ? () => ({ type: 'message', subtype: 'rfc822', params: [] }) : defaultTextPlain;
  for (const [s, e] of ranges) {
    if (state.parts >= state.maxParts) {
      // Out of part budget: the rest of the body stays one opaque leaf.
      const rest = parseEntity(state, s, node.bodyEnd, depth + 1, OCTET_STREAM());
      node.children.push(degrade(rest));
      break;
    }
    node.children.push(parseEntity(state, s, e, depth + 1, childDefault()));
  }
}

/** A container the parser will not look into: an application/octet-stream leaf with its params. */
function degrade(node: MimeNode): MimeNode {
  node.contentType = OCTET_STREAM(node.contentType.params);
  node.children = [];
  node.message = null;
  node.opaque = true;
  return node;
}

function nonEmpty(raw: Buffer, f: HeaderField): string | null {
  const v = fieldValue(raw, f);
  return v === '' ? null : v;
}

/**
 * Finds the body parts of a multipart body in `[start, end)`: each part runs from just after a
 * delimiter line to just before the CRLF that precedes the next delimiter (RFC 2046 §5.1.1: that
 * CRLF belongs to the delimiter). Stops at the close delimiter; without one the last part runs to
 * `end`. Returns [] when no delimiter line exists.
 */
export function splitMultipart(raw: Buffer, start: number, end: number, dashBoundary: Buffer): [number, number][] {
  const out: [number, number][] = [];
  let partStart = -1;
  let pos = start;
  while (pos < end) {
    const hit = raw.indexOf(dashBoundary, pos);
    if (hit === -1 || hit + dashBoundary.length > end) break;
    pos = hit + 1;
    // A delimiter starts a line.
    if (hit !== start && raw[hit - 1] !== 0x0a) continue;
    let p = hit + dashBoundary.length;
    let close = false;
    if (raw[p] === 0x2d && raw[p + 1] === 0x2d && p + 1 < end) {
      close = true;
      p += 2;
    }
    while (p < end && (raw[p] === 0x20 || raw[p] === 0x09)) p++;
    let lineEnd: number;
    if (p >= end) lineEnd = end;
    else if (raw[p] === 0x0a) lineEnd = p + 1;
    else if (raw[p] === 0x0d && (p + 1 >= end || raw[p + 1] === 0x0a)) lineEnd = Math.min(p + 2, end);
    else if (close) lineEnd = p; // `--b--garbage`: still a close delimiter (lenient)
    else continue; // `--bx`: not our boundary
    if (partStart !== -1) {
      let partEnd = hit;
      if (partEnd > partStart && raw[partEnd - 1] === 0x0a) partEnd--;
      if (partEnd > partStart && raw[partEnd - 1] === 0x0d) partEnd--;
      out.push([partStart, Math.max(partStart, partEnd)]);
    }
    if (close) return out;
    partStart = lineEnd;
    pos = lineEnd;
  }
  if (partStart !== -1) out.push([partStart, end]);
  return out;
}

/** Number of LF octets in the node's body (BODYSTRUCTURE `lines`). */
export function countLines(raw: Buffer, node: MimeNode): number {
  let n = 0;
  let pos = node.bodyStart;
  for (;;) {
    const lf = raw.indexOf(0x0a, pos);
    if (lf === -1 || lf >= node.bodyEnd) return n;
    n++;
    pos = lf + 1;
  }
}
