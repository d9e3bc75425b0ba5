/**
 * The storage contract. The library owns the protocol (parsing, sequence numbers, when updates may
 * be sent, response formatting); a backend owns the data. Backends never write protocol bytes.
 *
 * Conventions:
 * - Mailbox names are Unicode with `/` as the hierarchy delimiter; `INBOX` is always spelled `INBOX`.
 * - In the selected state the library has already turned sequence numbers into UIDs: every method
 *   that addresses messages receives a `UidSet` of concrete, sorted, non-overlapping UID ranges.
 * - Failures are thrown as `ImapError` (errors.ts), e.g. `ImapError.nonexistent()`,
 *   `ImapError.tryCreate()`, `ImapError.authFailed()`. Anything else becomes `NO [SERVERBUG]`.
 * - Methods that produce many items take an async sink and must `await` it: that is how output
 *   backpressure reaches a database cursor (FETCH of 100,000 messages never needs them all in memory).
 */
import type { ImapValue } from './wire/value.ts';
import type { SearchKey } from './search/criteria.ts';

/** A concrete UID range, `start <= end`. */
export interface UidRange {
  start: number;
  end: number;
}
export type UidSet = UidRange[];

export interface ConnectionInfo {
  /** Unique per connection; backends may use it to tell their own changes apart. */
  id: string;
  remoteAddress: string;
  secure: boolean;
}

export type SpecialUse = '\\Sent' | '\\Drafts' | '\\Trash' | '\\Junk' | '\\Archive' | '\\All' | '\\Flagged';

export interface MailboxInfo {
  name: string;
  specialUse?: SpecialUse | null;
}

export interface MailboxStatus {
  messages: number;
  /** Messages with \Recent (not yet seen by a read-write SELECT). */
  recent: number;
  uidNext: number;
  uidValidity: number;
  /** Count of messages without \Seen. */
  unseen: number;
  highestModseq: bigint;
}

export interface SelectOptions {
  readOnly: boolean;
}

export interface SelectData {
  uidValidity: number;
  uidNext: number;
  highestModseq: bigint;
  /** Every UID in the mailbox, ascending: becomes the session's sequence map. */
  uids: ArrayLike<number>;
  /** Messages \Recent for this session (read-write SELECT claims them; EXAMINE sees 0). */
  recent: number;
  /** UID of the first message without \Seen, if any. */
  firstUnseenUid: number | null;
  /** Keywords in use in the mailbox, for the FLAGS response (system flags are added by the library). */
  keywords: string[];
}

/** One change in the selected mailbox, in modseq order. */
export type MailboxChange =
  | { kind: 'added'; uid: number; modseq: bigint; recent: boolean }
  | { kind: 'expunged'; uid: number; modseq: bigint }
  /** Flags now (including `\Recent` if recent for this session); `own` = made by this session. */
  | { kind: 'flags'; uid: number; modseq: bigint; flags: string[]; own: boolean }
  /** The selected mailbox was deleted or renamed away: the library ends the session (M31). */
  | { kind: 'gone'; modseq: bigint };

export interface MailboxChanges {
  highestModseq: bigint;
  changes: MailboxChange[];
}

/** What the library needs for one FETCH; the backend provides at least these parts of each message. */
export interface FetchRequest {
  uids: UidSet;
  /** The stored octets are needed (body sections, RFC822*, or structures the backend does not cache). */
  raw: boolean;
  envelope: boolean;
  bodyStructure: boolean;
}

export interface FetchedMessage {
  uid: number;
  /** Current flags, `\Recent` included when the message is recent for this session. */
  flags: string[];
  internalDate: Date;
  /** Zone INTERNALDATE is shown in, minutes east of UTC (APPEND's date-time zone); default 0. */
  internalDateTzOffset?: number;
  size: number;
  /** The stored canonical CRLF octets; required when `FetchRequest.raw`. */
  raw?: Buffer;
  /** Precomputed ENVELOPE / BODYSTRUCTURE (extended form); computed from `raw` when absent. */
  envelope?: ImapValue;
  bodyStructure?: ImapValue;
}

export type Sink<T> = (item: T) => Promise<void>;

export type StoreMode = 'add' | 'remove' | 'replace';

export interface StoreRequest {
  uids: UidSet;
  mode: StoreMode;
  flags: string[];
}

export interface StoredFlags {
  uid: number;
  flags: string[];
  modseq: bigint;
}

export interface CopyData {
  /** UIDVALIDITY of the destination. */
  uidValidity: number;
  /** Source and destination UIDs, index-aligned, ascending by source UID. */
  sourceUids: number[];
  destUids: number[];
}

export interface AppendRequest {
  raw: Buffer;
  flags: string[];
  /** The client's date-time, or null for "now". */
  internalDate: Date | null;
  /** Zone the client wrote the date-time in, minutes east of UTC (keep it to show the date as given). */
  internalDateTzOffset?: number;
}

export interface AppendData {
  uidValidity: number;
  uid: number;
}

export interface SearchRequest {
  /** The program with every sequence-number key already rewritten to UID ranges. */
  key: SearchKey;
  /** Limits the search to these UIDs (the session's view). */
  uids: UidSet;
}

/** Created once per connection; holds the authenticated user and the selected mailbox. */
export interface ImapSession {
  // --- not authenticated
  login(username: string, password: string): Promise<void>;

  // --- authenticated
  listMailboxes(): Promise<MailboxInfo[]>;
  listSubscriptions(): Promise<string[]>;
  create(name: string): Promise<void>;
  delete(name: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  subscribe(name: string): Promise<void>;
  unsubscribe(name: string): Promise<void>;
  status(name: string): Promise<MailboxStatus>;
  append(name: string, request: AppendRequest): Promise<AppendData>;
  select(name: string, options: SelectOptions): Promise<SelectData>;

  // --- selected
  /** Changes to the selected mailbox after `sinceModseq` (cheap when nothing changed). */
  changes(sinceModseq: bigint): Promise<MailboxChanges>;
  fetch(request: FetchRequest, sink: Sink<FetchedMessage>): Promise<void>;
  store(request: StoreRequest, sink: Sink<StoredFlags>): Promise<void>;
  copy(uids: UidSet, destination: string): Promise<CopyData>;
  /** Removes \Deleted messages (only within `uids` when given); returns the removed UIDs ascending. */
  expunge(uids: UidSet | null): Promise<number[]>;
  /** UIDs of matching messages, ascending. */
  search(request: SearchRequest): Promise<number[]>;
  unselect(): Promise<void>;

  // --- any state
  /** The connection is gone; release resources. */
  close(): Promise<void>;
}

/** RFC 6851 MOVE; advertised only when implemented. */
export interface SupportsMove {
  move(uids: UidSet, destination: string): Promise<CopyData>;
}

/**
 * Push notification that the selected mailbox may have changed (from any process: the Postgres
 * backend feeds it from LISTEN/NOTIFY). The library then calls `changes()`. Without it, IDLE polls.
 */
export interface SupportsChangeNotifications {
  onMailboxChange(listener: () => void): () => void;
}

export interface ImapBackend {
  createSession(conn: ConnectionInfo): Promise<ImapSession>;
}

export const supportsMove = (s: ImapSession): s is ImapSession & SupportsMove =>
  typeof (s as Partial<SupportsMove>).move === 'function';

export const supportsChangeNotifications = (s: ImapSession): s is ImapSession & SupportsChangeNotifications =>
  typeof (s as Partial<SupportsChangeNotifications>).onMailboxChange === 'function';
