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
  INBOX,
  openAccount,
  renameFolder,
  setSubscribed,
} from './account-folders.ts';
import { appendMessage } from './append-message.ts';
import type { MailboxChangeFeed } from './change-feed.ts';
import { copyMessages } from './copy-messages.ts';
import { deliverToInbox } from './deliver-to-inbox.ts';
import { expungeMessages } from './expunge-messages.ts';
import { fetchMessages } from './fetch-messages.ts';
import { authenticate, type ImapAuthPolicy } from './imap-auth.ts';
import { mailboxChanges, type ChangeCursor } from './mailbox-changes.ts';
import { mailboxStatus } from './mailbox-status.ts';
import { searchMessages } from './search-messages.ts';
import { selectMailbox } from './select-mailbox.ts';
import { storeFlags } from './store-flags.ts';

/**
 * After a load test the catch-all INBOX may be owed hundreds of thousands of messages (its
 * background filling waits while ingest is busy). A command delivers at most this many (about a
 * second of work), so SELECT answers promptly; the rest arrive as new mail, through the next
 * commands and the background filling, which notifies the session.
 */
const CATCH_ALL_DELIVERY_PER_COMMAND = 10_000;

export interface SessionContext {
  pool: pg.Pool;
  auth: ImapAuthPolicy;
  feed: MailboxChangeFeed;
}

type Selected = ChangeCursor;

export class PostgresSession implements ImapSession, SupportsMove, SupportsChangeNotifications {
  private accountId: string | null = null;
  private address: string | null = null;
  private selected: Selected | null = null;
  /** The selected mailbox is this account's INBOX, filled lazily (deliver-to-inbox.ts). */
  private selectedInbox = false;

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
    this.address = address;
    // INBOX first: delivery creates it as the catch-all's (isCatchAll) when this is that address.
    await this.deliver(INBOX);
    this.accountId = await openAccount(this.ctx.pool, address);
  }

  /** Brings the account's INBOX up to date (deliver-to-inbox.ts) before it is read or written. */
  private async deliver(name: string): Promise<void> {
    if (name !== INBOX || this.address === null) return;
    const catchAll = this.ctx.auth.catchAllAddress;
    await deliverToInbox(this.ctx.pool, this.address, catchAll, this.address === catchAll ? { maxMessages: CATCH_ALL_DELIVERY_PER_COMMAND } : {});
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

  async status(name: string): Promise<MailboxStatus> {
    await this.deliver(name);
    return mailboxStatus(this.ctx.pool, this.account, name);
  }

  async append(name: string, request: AppendRequest): Promise<AppendData> {
    await this.deliver(name);
    return appendMessage(this.ctx.pool, this.account, name, request);
  }

  async select(name: string, options: SelectOptions): Promise<SelectData> {
    this.selected = null; // a failed SELECT leaves nothing selected
    await this.deliver(name);
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
    this.selectedInbox = name === INBOX;
    return selected.data;
  }

  async changes(sinceModseq: bigint): Promise<MailboxChanges> {
    const selected = this.current;
    if (this.selectedInbox) await this.deliver(INBOX);
    return mailboxChanges(this.ctx.pool, selected, sinceModseq, this.ctx.feed.purges());
  }

  fetch(request: FetchRequest, sink: Sink<FetchedMessage>): Promise<void> {
    return fetchMessages(this.ctx.pool, this.current, request, sink);
  }

  async store(request: StoreRequest, sink: Sink<StoredFlags>): Promise<void> {
    const selected = this.current;
    const own = await storeFlags(this.ctx.pool, selected, request, sink);
    selected.ownFlagChanges.push(...own);
  }

  async copy(uids: UidSet, destination: string): Promise<CopyData> {
    await this.deliver(destination);
    return copyMessages(this.ctx.pool, { accountId: this.account, sourceMailboxId: this.current.mailboxId, uids, destination, move: false });
  }

  async move(uids: UidSet, destination: string): Promise<CopyData> {
    await this.deliver(destination);
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
    this.address = null;
  }

  onMailboxChange(listener: () => void): () => void {
    const stop = this.ctx.feed.subscribe(this.current.mailboxId, listener);
    if (!this.selectedInbox || this.address === null) return stop;
    // New mail for the address is announced by recipient (its INBOX is filled on the next look).
    const stopRecipient = this.ctx.feed.subscribeRecipient(this.address, listener);
    return () => {
      stop();
      stopRecipient();
    };
  }
}
