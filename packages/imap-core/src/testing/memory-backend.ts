/**
 * The in-memory reference backend: complete, small, and the model every other backend is tested
 * against (backend-contract.ts). Not for production: everything lives in one process.
 *
 * - Users with passwords; every user gets INBOX Sent Drafts Trash Junk Archive (SPECIAL-USE), all subscribed.
 * - UIDVALIDITY from one never-reused counter; UIDNEXT only grows; every change bumps the mailbox modseq
 *   and is journaled, so sessions learn about changes through `changes(sinceModseq)`.
 * - \Recent belongs to the first read-write session that sees a message.
 * - Expunged messages stay readable by UID for sessions that have not been told yet (ghost reads, M29).
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type {
  AppendData,
  AppendRequest,
  ConnectionInfo,
  CopyData,
  FetchRequest,
  FetchedMessage,
  ImapBackend,
  ImapSession,
  MailboxChange,
  MailboxChanges,
  MailboxInfo,
  MailboxStatus,
  SearchRequest,
  SelectData,
  SelectOptions,
  Sink,
  SpecialUse,
  StoreRequest,
  StoredFlags,
  SupportsChangeNotifications,
  SupportsMove,
  UidSet,
} from '../backend.ts';
import { ImapError } from '../errors.ts';
import { normalizeLineEndings } from '../mime/index.ts';
import { matchesSearch } from '../search/matcher.ts';

export interface MemoryMessageInit {
  raw: Buffer | string;
  flags?: string[];
  internalDate?: Date;
  internalDateTzOffset?: number;
}

export interface MemoryMailboxInit {
  uidValidity?: number;
  specialUse?: SpecialUse;
  messages?: MemoryMessageInit[];
}

export interface MemoryUserInit {
  password: string;
  /** Extra mailboxes or settings for the default ones (by name). */
  mailboxes?: Record<string, MemoryMailboxInit>;
}

export interface MemoryBackendOptions {
  users?: Record<string, MemoryUserInit>;
  /** First UIDVALIDITY handed out (default: now in seconds). Mailboxes are created in order. */
  uidValidityStart?: number;
}

export const DEFAULT_MAILBOXES: [string, SpecialUse | null][] = [
  ['INBOX', null],
  ['Sent', '\\Sent'],
  ['Drafts', '\\Drafts'],
  ['Trash', '\\Trash'],
  ['Junk', '\\Junk'],
  ['Archive', '\\Archive'],
];

interface MemMessage {
  uid: number;
  flags: Set<string>;
  internalDate: Date;
  internalDateTzOffset: number;
  raw: Buffer;
  modseq: bigint;
  /** Until a read-write session sees it, the message is \Recent for whoever claims it. */
  recentClaimable: boolean;
  recentOwner: string | null;
}

interface JournalEntry {
  modseq: bigint;
  kind: 'added' | 'expunged' | 'flags' | 'gone';
  uid: number;
  origin: string | null;
}

class MemMailbox {
  uidNext = 1;
  highestModseq = 0n;
  messages: MemMessage[] = [];
  readonly ghosts = new Map<number, MemMessage>();
  readonly journal: JournalEntry[] = [];
  readonly listeners = new Set<() => void>();
  /** Sessions that have this mailbox selected. Without any, no journal or ghost is needed. */
  readonly selectedBy = new Set<string>();

  constructor(
    public name: string,
    readonly uidValidity: number,
    readonly specialUse: SpecialUse | null,
  ) {}

  record(kind: JournalEntry['kind'], uid: number, origin: string | null): bigint {
    const modseq = ++this.highestModseq;
    // Only sessions with the mailbox selected read the journal, and only past their SELECT.
    if (this.selectedBy.size > 0) this.journal.push({ modseq, kind, uid, origin });
    return modseq;
  }

  enter(session: string): void {
    this.selectedBy.add(session);
  }

  leave(session: string): void {
    this.selectedBy.delete(session);
    if (this.selectedBy.size === 0) {
      this.journal.length = 0;
      this.ghosts.clear();
    }
  }

  notify(): void {
    for (const l of this.listeners) queueMicrotask(l);
  }

  /** Live messages (and, with `ghosts`, expunged ones) whose UID is in `set`, ascending. */
  inSet(set: UidSet, ghosts = false): MemMessage[] {
    const out: MemMessage[] = [];
    for (const r of set) {
      let i = lowerBound(this.messages, r.start);
      while (i < this.messages.length && this.messages[i]!.uid <= r.end) out.push(this.messages[i++]!);
    }
    if (ghosts) for (const g of this.ghosts.values()) if (set.some((r) => g.uid >= r.start && g.uid <= r.end)) out.push(g);
    return out.sort((a, b) => a.uid - b.uid);
  }
}

function lowerBound(messages: MemMessage[], uid: number): number {
  let lo = 0;
  let hi = messages.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (messages[mid]!.uid < uid) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

class MemUser {
  readonly mailboxes = new Map<string, MemMailbox>();
  readonly subscriptions = new Set<string>();
  constructor(
    readonly name: string,
    readonly passwordHash: Buffer,
  ) {}
}

const hash = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

export class MemoryBackend implements ImapBackend {
  private readonly users = new Map<string, MemUser>();
  private nextUidValidity: number;

  constructor(options: MemoryBackendOptions = {}) {
    this.nextUidValidity = options.uidValidityStart ?? Math.floor(Date.now() / 1000);
    for (const [name, init] of Object.entries(options.users ?? {})) this.addUser(name, init.password, init.mailboxes);
  }

  async createSession(conn: ConnectionInfo): Promise<ImapSession> {
    return new MemorySession(this, conn.id);
  }

  addUser(name: string, password: string, mailboxes: Record<string, MemoryMailboxInit> = {}): void {
    const user = new MemUser(name, hash(password));
    this.users.set(name.toLowerCase(), user);
    for (const [box, specialUse] of DEFAULT_MAILBOXES) this.createMailbox(user, box, mailboxes[box]?.uidValidity, specialUse);
    for (const [box, init] of Object.entries(mailboxes)) {
      const mailbox = user.mailboxes.get(box) ?? this.createMailbox(user, box, init.uidValidity, init.specialUse ?? null);
      for (const m of init.messages ?? []) this.addMessage(mailbox, m, null);
    }
  }

  /** Simulates an arriving message (SMTP delivery) for tests and the memserver. */
  deliver(user: string, mailbox: string, raw: Buffer | string, options: { flags?: string[]; internalDate?: Date } = {}): number {
    const box = this.requireUser(user).mailboxes.get(mailbox);
    if (!box) throw new Error(`no mailbox ${mailbox} for ${user}`);
    return this.addMessage(box, { raw, ...options }, null).uid;
  }

  /** Delivers every `*.eml` file of `dir` (sorted by name) to `mailbox`; INTERNALDATE = file mtime. */
  async loadEmlDirectory(user: string, dir: string, mailbox = 'INBOX'): Promise<number> {
    const files = (await readdir(dir)).filter((f) => f.toLowerCase().endsWith('.eml')).sort();
    for (const file of files) {
      const full = path.join(dir, file);
      const [raw, info] = await Promise.all([readFile(full), stat(full)]);
      this.deliver(user, mailbox, raw, { internalDate: info.mtime });
    }
    return files.length;
  }

  /** Expunges every message of a mailbox, keeping UIDVALIDITY and UIDNEXT ("clear inbox", T23). */
  clear(user: string, mailbox: string): void {
    const box = this.requireUser(user).mailboxes.get(mailbox);
    if (!box) throw new Error(`no mailbox ${mailbox} for ${user}`);
    this.expungeMessages(box, [...box.messages], null);
  }

  // ------------------------------------------------------------ used by sessions

  findUser(name: string): MemUser | undefined {
    return this.users.get(name.toLowerCase());
  }

  checkPassword(user: MemUser | undefined, password: string): boolean {
    const given = hash(password);
    // Compare even for unknown users so both failures take the same time.
    return timingSafeEqual(given, user?.passwordHash ?? hash('\0unknown')) && user !== undefined;
  }

  createMailbox(user: MemUser, name: string, uidValidity?: number, specialUse: SpecialUse | null = null): MemMailbox {
    const validity = uidValidity ?? this.nextUidValidity;
    this.nextUidValidity = Math.max(this.nextUidValidity, validity + 1);
    const box = new MemMailbox(name, validity, specialUse);
    user.mailboxes.set(name, box);
    user.subscriptions.add(name);
    return box;
  }

  addMessage(box: MemMailbox, init: MemoryMessageInit, origin: string | null, recentOwner: string | null = null): MemMessage {
    const raw = normalizeLineEndings(Buffer.isBuffer(init.raw) ? init.raw : Buffer.from(init.raw, 'utf8'));
    const uid = box.uidNext++;
    const message: MemMessage = {
      uid,
      flags: new Set((init.flags ?? []).filter((f) => f !== '\\Recent')),
      internalDate: init.internalDate ?? new Date(),
      internalDateTzOffset: init.internalDateTzOffset ?? 0,
      raw,
      modseq: 0n,
      recentClaimable: recentOwner === null,
      recentOwner,
    };
    message.modseq = box.record('added', uid, origin);
    box.messages.push(message);
    box.notify();
    return message;
  }

  expungeMessages(box: MemMailbox, messages: MemMessage[], origin: string | null): number[] {
    const gone = new Set(messages.map((m) => m.uid));
    if (gone.size === 0) return [];
    box.messages = box.messages.filter((m) => !gone.has(m.uid));
    for (const m of messages) {
      if (box.selectedBy.size > 0) box.ghosts.set(m.uid, m);
      box.record('expunged', m.uid, origin);
    }
    box.notify();
    return [...gone].sort((a, b) => a - b);
  }

  requireUser(name: string): MemUser {
    const user = this.findUser(name);
    if (!user) throw new Error(`no user ${name}`);
    return user;
  }
}

export class MemorySession implements ImapSession, SupportsMove, SupportsChangeNotifications {
  private user: MemUser | null = null;
  private selected: MemMailbox | null = null;
  private readOnly = false;

  constructor(
    private readonly backend: MemoryBackend,
    private readonly id: string,
  ) {}

  private get me(): MemUser {
    if (!this.user) throw ImapError.no('Not authenticated');
    return this.user;
  }

  private mailbox(name: string, missing: () => ImapError = () => ImapError.nonexistent()): MemMailbox {
    const box = this.me.mailboxes.get(name);
    if (!box) throw missing();
    return box;
  }

  private get current(): MemMailbox {
    if (!this.selected) throw ImapError.no('No mailbox selected');
    return this.selected;
  }

  private flagsOf(m: MemMessage): string[] {
    const flags = [...m.flags];
    if (m.recentOwner === this.id) flags.push('\\Recent');
    return flags;
  }

  async login(username: string, password: string): Promise<void> {
    const user = this.backend.findUser(username);
    if (!this.backend.checkPassword(user, password) || !user) throw ImapError.authFailed();
    this.user = user;
  }

  async listMailboxes(): Promise<MailboxInfo[]> {
    return [...this.me.mailboxes.values()].map((b) => ({ name: b.name, specialUse: b.specialUse }));
  }

  async listSubscriptions(): Promise<string[]> {
    return [...this.me.subscriptions];
  }

  async create(name: string): Promise<void> {
    if (this.me.mailboxes.has(name)) throw ImapError.alreadyExists();
    this.backend.createMailbox(this.me, name);
  }

  async delete(name: string): Promise<void> {
    const box = this.mailbox(name);
    this.me.mailboxes.delete(name);
    box.record('gone', 0, this.id);
    box.notify();
  }

  async rename(from: string, to: string): Promise<void> {
    const user = this.me;
    if (user.mailboxes.has(to)) throw ImapError.alreadyExists();
    this.mailbox(from);
    for (const [name, box] of [...user.mailboxes]) {
      if (name !== from && !name.startsWith(from + '/')) continue;
      const renamed = to + name.slice(from.length);
      user.mailboxes.delete(name);
      box.name = renamed;
      user.mailboxes.set(renamed, box);
      user.subscriptions.add(renamed);
    }
  }

  async subscribe(name: string): Promise<void> {
    this.me.subscriptions.add(name);
  }

  async unsubscribe(name: string): Promise<void> {
    this.me.subscriptions.delete(name);
  }

  async status(name: string): Promise<MailboxStatus> {
    const box = this.mailbox(name);
    return {
      messages: box.messages.length,
      recent: box.messages.filter((m) => m.recentClaimable).length,
      uidNext: box.uidNext,
      uidValidity: box.uidValidity,
      unseen: box.messages.filter((m) => !m.flags.has('\\Seen')).length,
      highestModseq: box.highestModseq,
    };
  }

  async append(name: string, request: AppendRequest): Promise<AppendData> {
    const box = this.mailbox(name, () => ImapError.tryCreate());
    const init: MemoryMessageInit = { raw: request.raw, flags: request.flags };
    if (request.internalDate) init.internalDate = request.internalDate;
    if (request.internalDateTzOffset !== undefined) init.internalDateTzOffset = request.internalDateTzOffset;
    const m = this.backend.addMessage(box, init, this.id);
    return { uidValidity: box.uidValidity, uid: m.uid };
  }

  async select(name: string, options: SelectOptions): Promise<SelectData> {
    const box = this.mailbox(name);
    this.selected?.leave(this.id);
    this.selected = box;
    box.enter(this.id);
    this.readOnly = options.readOnly;
    let recent = 0;
    let firstUnseenUid: number | null = null;
    const keywords = new Set<string>();
    for (const m of box.messages) {
      if (!options.readOnly && m.recentClaimable) {
        m.recentClaimable = false;
        m.recentOwner = this.id;
      }
      if (m.recentOwner === this.id) recent++;
      if (firstUnseenUid === null && !m.flags.has('\\Seen')) firstUnseenUid = m.uid;
      for (const f of m.flags) if (!f.startsWith('\\')) keywords.add(f);
    }
    return {
      uidValidity: box.uidValidity,
      uidNext: box.uidNext,
      highestModseq: box.highestModseq,
      uids: box.messages.map((m) => m.uid),
      recent,
      firstUnseenUid,
      keywords: [...keywords],
    };
  }

  async changes(sinceModseq: bigint): Promise<MailboxChanges> {
    const box = this.current;
    const out: MailboxChange[] = [];
    let i = box.journal.length;
    while (i > 0 && box.journal[i - 1]!.modseq > sinceModseq) i--;
    for (; i < box.journal.length; i++) {
      const e = box.journal[i]!;
      if (e.kind === 'gone') {
        if (e.origin !== this.id) out.push({ kind: 'gone', modseq: e.modseq });
      }
      else if (e.kind === 'expunged') out.push({ kind: 'expunged', uid: e.uid, modseq: e.modseq });
      else {
        const m = box.messages[lowerBound(box.messages, e.uid)];
        if (!m || m.uid !== e.uid) continue; // expunged since; its own entry follows
        if (e.kind === 'added') {
          if (!this.readOnly && m.recentClaimable) {
            m.recentClaimable = false;
            m.recentOwner = this.id;
          }
          out.push({ kind: 'added', uid: m.uid, modseq: e.modseq, recent: m.recentOwner === this.id });
        } else {
          out.push({ kind: 'flags', uid: m.uid, modseq: e.modseq, flags: this.flagsOf(m), own: e.origin === this.id });
        }
      }
    }
    return { highestModseq: box.highestModseq, changes: out };
  }

  async fetch(request: FetchRequest, sink: Sink<FetchedMessage>): Promise<void> {
    for (const m of this.current.inSet(request.uids, true)) {
      await sink({
        uid: m.uid,
        flags: this.flagsOf(m),
        internalDate: m.internalDate,
        internalDateTzOffset: m.internalDateTzOffset,
        size: m.raw.length,
        raw: m.raw,
      });
    }
  }

  async store(request: StoreRequest, sink: Sink<StoredFlags>): Promise<void> {
    const box = this.current;
    for (const m of box.inSet(request.uids)) {
      const before = [...m.flags].sort().join(' ');
      if (request.mode === 'replace') m.flags = new Set(request.flags);
      else if (request.mode === 'add') for (const f of request.flags) m.flags.add(f);
      else for (const f of request.flags) m.flags.delete(f);
      if ([...m.flags].sort().join(' ') !== before) m.modseq = box.record('flags', m.uid, this.id);
      await sink({ uid: m.uid, flags: this.flagsOf(m), modseq: m.modseq });
    }
    box.notify();
  }

  async copy(uids: UidSet, destination: string): Promise<CopyData> {
    const target = this.mailbox(destination, () => ImapError.tryCreate());
    const data: CopyData = { uidValidity: target.uidValidity, sourceUids: [], destUids: [] };
    for (const m of this.current.inSet(uids)) {
      const init = { raw: m.raw, flags: [...m.flags], internalDate: m.internalDate, internalDateTzOffset: m.internalDateTzOffset };
      const copy = this.backend.addMessage(target, init, this.id);
      data.sourceUids.push(m.uid);
      data.destUids.push(copy.uid);
    }
    return data;
  }

  async move(uids: UidSet, destination: string): Promise<CopyData> {
    const source = this.current;
    if (this.mailbox(destination, () => ImapError.tryCreate()) === source) throw ImapError.cannot('Source and destination are the same');
    const data = await this.copy(uids, destination);
    const moved = new Set(data.sourceUids);
    this.backend.expungeMessages(source, source.messages.filter((m) => moved.has(m.uid)), this.id);
    return data;
  }

  async expunge(uids: UidSet | null): Promise<number[]> {
    const box = this.current;
    const candidates = uids ? box.inSet(uids) : box.messages;
    return this.backend.expungeMessages(box, candidates.filter((m) => m.flags.has('\\Deleted')), this.id);
  }

  async search(request: SearchRequest): Promise<number[]> {
    const box = this.current;
    const maxUid = box.messages.length > 0 ? box.messages[box.messages.length - 1]!.uid : undefined;
    const out: number[] = [];
    for (const m of box.inSet(request.uids)) {
      const msg = {
        raw: m.raw,
        uid: m.uid,
        seq: 0,
        flags: [...m.flags],
        internalDate: m.internalDate,
        internalDateTzOffset: m.internalDateTzOffset,
        size: m.raw.length,
        recent: m.recentOwner === this.id,
      };
      if (matchesSearch(request.key, msg, maxUid === undefined ? {} : { maxUid })) out.push(m.uid);
    }
    return out;
  }

  async unselect(): Promise<void> {
    this.selected?.leave(this.id);
    this.selected = null;
  }

  async close(): Promise<void> {
    await this.unselect();
    this.user = null;
  }

  onMailboxChange(listener: () => void): () => void {
    const box = this.current;
    box.listeners.add(listener);
    return () => box.listeners.delete(listener);
  }
}

export function createMemoryBackend(options: MemoryBackendOptions = {}): MemoryBackend {
  return new MemoryBackend(options);
}
