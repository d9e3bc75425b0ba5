// One IMAP connection's view of Postgres: the logged-in account and the selected mailbox. Each
// operation lives in its own file; this class holds the per-session state they share.
import type pg from 'pg';
import {
  ImapError,
  type AppendData,
  type AppendRequest,
  type CopyData,
  type FetchRequest,
  type FetchedMessage,
  type ImapSession,
  type MailboxChanges,
  type MailboxInfo,
  type MailboxStatus,
  type SearchRequest,
  type SelectData,
  type SelectOptions,
  type Sink,
  type StoreRequest,
  type StoredFlags,
  type SupportsChangeNotifications,
  type SupportsMove,
  type UidSet,
} from '@letterbox/imap-core';
import {
  createFolder,
  deleteFolder,
  listFolders,
  listSubscriptions,
  openAccount,
  renameFolder,
  setSubscribed,
} from './account-folders.ts';
import { appendMessage } from './append-message.ts';
import type { MailboxChangeFeed } from './change-feed.ts';
import { copyMessages } from './copy-messages.ts';
import { expungeMessages } from './expunge-messages.ts';
import { fetchMessages } from './fetch-messages.ts';
import { authenticate, type ImapAuthPolicy } from './imap-auth.ts';
import { mailboxChanges, type ChangeCursor } from './mailbox-changes.ts';
import { mailboxStatus } from './mailbox-status.ts';
import { searchMessages } from './search-messages.ts';
import { selectMailbox } from './select-mailbox.ts';
import { storeFlags } from './store-flags.ts';

export interface SessionContext {
  pool: pg.Pool;
  auth: ImapAuthPolicy;
  feed: MailboxChangeFeed;
}

type Selected = ChangeCursor;

export class PostgresSession implements ImapSession, SupportsMove, SupportsChangeNotifications {
  private accountId: string | null = null;
  private selected: Selected | null = null;

  constructor(private readonly ctx: SessionContext) {}

  private get account(): string {
    if (this.accountId === null) throw ImapError.no('Not authenticated');
    return this.accountId;
  }

  private get current(): Selected {
    if (!this.selected) throw ImapError.no('No mailbox selected');
    return this.selected;
  }

  async login(username: string, password: string): Promise<void> {
    const address = authenticate(this.ctx.auth, username, password);
    if (address === null) throw ImapError.authFailed();
    this.accountId = await openAccount(this.ctx.pool, address);
  }

  listMailboxes(): Promise<MailboxInfo[]> {
    return listFolders(this.ctx.pool, this.account);
  }

  listSubscriptions(): Promise<string[]> {
    return listSubscriptions(this.ctx.pool, this.account);
  }

  create(name: string): Promise<void> {
    return createFolder(this.ctx.pool, this.account, name);
  }

  delete(name: string): Promise<void> {
    return deleteFolder(this.ctx.pool, this.account, name);
  }

  rename(from: string, to: string): Promise<void> {
    return renameFolder(this.ctx.pool, this.account, from, to);
  }

  subscribe(name: string): Promise<void> {
    return setSubscribed(this.ctx.pool, this.account, name, true);
  }

  unsubscribe(name: string): Promise<void> {
    return setSubscribed(this.ctx.pool, this.account, name, false);
  }

  status(name: string): Promise<MailboxStatus> {
    return mailboxStatus(this.ctx.pool, this.account, name);
  }

  append(name: string, request: AppendRequest): Promise<AppendData> {
    return appendMessage(this.ctx.pool, this.account, name, request);
  }

  async select(name: string, options: SelectOptions): Promise<SelectData> {
    this.selected = null; // a failed SELECT leaves nothing selected
    const selected = await selectMailbox(this.ctx.pool, this.account, name, options.readOnly);
    this.selected = {
      mailboxId: selected.id,
      readOnly: options.readOnly,
      knownUidNext: selected.data.uidNext,
      recentUids: selected.recentUids,
      ownFlagChanges: [],
      uids: Array.from(selected.data.uids),
      checkedPurges: this.ctx.feed.purges(),
    };
    return selected.data;
  }

  changes(sinceModseq: bigint): Promise<MailboxChanges> {
    return mailboxChanges(this.ctx.pool, this.current, sinceModseq, this.ctx.feed.purges());
  }

  fetch(request: FetchRequest, sink: Sink<FetchedMessage>): Promise<void> {
    return fetchMessages(this.ctx.pool, this.current, request, sink);
  }

  async store(request: StoreRequest, sink: Sink<StoredFlags>): Promise<void> {
    const selected = this.current;
    const own = await storeFlags(this.ctx.pool, selected, request, sink);
    selected.ownFlagChanges.push(...own);
  }

  copy(uids: UidSet, destination: string): Promise<CopyData> {
    return copyMessages(this.ctx.pool, { accountId: this.account, sourceMailboxId: this.current.mailboxId, uids, destination, move: false });
  }

  move(uids: UidSet, destination: string): Promise<CopyData> {
    return copyMessages(this.ctx.pool, { accountId: this.account, sourceMailboxId: this.current.mailboxId, uids, destination, move: true });
  }

  expunge(uids: UidSet | null): Promise<number[]> {
    return expungeMessages(this.ctx.pool, this.current.mailboxId, uids);
  }

  search(request: SearchRequest): Promise<number[]> {
    return searchMessages(this.ctx.pool, this.current, request);
  }

  async unselect(): Promise<void> {
    this.selected = null;
  }

  async close(): Promise<void> {
    this.selected = null;
    this.accountId = null;
  }

  onMailboxChange(listener: () => void): () => void {
    return this.ctx.feed.subscribe(this.current.mailboxId, listener);
  }
}
