/**
 * Every resource limit of the IMAP server (IMAP.md §4), with its default and the reason for it.
 * All of them can be overridden per server through `ImapServerOptions.limits`.
 */
export interface ImapLimits {
  /** Longest command line, literals excluded. RFC 7162 §4 asks servers to accept at least 8192 octets;
   *  Dovecot's `imap_max_line_length` is 64 KiB. */
  maxLineBytes: number;
  /** Largest literal outside APPEND once authenticated (LOGIN passwords, SEARCH strings, mailbox names). */
  maxLiteralBytes: number;
  /** Largest literal before authentication: only LOGIN/AUTHENTICATE arguments can need one. */
  maxPreAuthLiteralBytes: number;
  /** Largest APPEND message, advertised as APPENDLIMIT (RFC 7889); larger ones get NO [TOOBIG] before `+`. */
  maxAppendBytes: number;
  /** Deepest parenthesis nesting the decoder accepts (nested OR chains from iOS, body lists). */
  maxNestingDepth: number;
  /** Most keys one SEARCH program may hold. */
  maxSearchKeys: number;
  /** Most comma-separated elements in one sequence set (ranges are never expanded, so this bounds parsing only). */
  maxSetElements: number;
  /** Consecutive BAD replies after which the connection is closed with `* BYE` (WildDuck MAX_BAD_COMMANDS). */
  maxBadCommands: number;
  /** Time a client may stay unauthenticated (RFC 9051 §5.4). */
  preAuthTimeoutMs: number;
  /** Commands a client may send before authenticating; a scanner or a cross-protocol attack sends many. */
  maxPreAuthCommands: number;
  /** Failed LOGIN/AUTHENTICATE attempts per connection before `* BYE`. */
  maxAuthFailures: number;
  /** Delay before every authentication failure reply (Dovecot `auth_failure_delay`), slows password guessing. */
  authFailureDelayMs: number;
  /** Cap of the exponential backoff per client IP and user name (doubling from authFailureDelayMs). */
  maxAuthFailureDelayMs: number;
  /** Quiet time after which the backoff for an IP and user starts again from authFailureDelayMs. */
  authBackoffResetMs: number;
  /** Unsent output above which the connection stops executing commands until the socket drains (RFC 9051 §5.3). */
  outputPauseBytes: number;
  /** Unsent output above which the client is considered dead and the connection is dropped. */
  outputDropBytes: number;
  /** Unread input above which the socket is paused; bounds how far a client can pipeline ahead of execution. */
  maxBufferedInputBytes: number;
  /** Interval of `* OK Still here` while idling; imapflow's socket timeout is 5 min, Dovecot sends every 2 min. */
  idleKeepaliveMs: number;
  /** Authenticated inactivity before autologout; RFC 9051 §5.4 requires at least 30 minutes. IDLE is not inactivity. */
  autologoutMs: number;
  /** A command running longer than this gets `* OK Still processing` so client read timeouts don't fire. */
  longCommandNoticeMs: number;
  /** How often an idling or polling session asks a backend without change notifications for updates. */
  changePollMs: number;
  /** RFC 2971 §3.3: at most 30 ID field/value pairs, field ≤ 30 octets, value ≤ 1024 octets. */
  maxIdPairs: number;
  maxIdFieldBytes: number;
  maxIdValueBytes: number;
  /** Connections in total, per client IP and per user (Dovecot `mail_max_userip_connections`; WildDuck 15/user).
   *  Raise the per-IP value for Microsoft's cloud ranges: new Outlook syncs many users from few addresses. */
  maxConnections: number;
  maxConnectionsPerIp: number;
  maxConnectionsPerUser: number;
  /** Mailboxes one user may create (WildDuck MAX_MAILBOXES is 1500). */
  maxMailboxesPerUser: number;
  /** Longest keyword (user flag) a client may store. */
  maxKeywordBytes: number;
  /** Longest mailbox name in octets and deepest hierarchy (IMAP.md §4). */
  maxMailboxNameBytes: number;
  maxMailboxDepth: number;
}

const KiB = 1024;
const MiB = 1024 * KiB;

export const DEFAULT_LIMITS: Readonly<ImapLimits> = Object.freeze({
  maxLineBytes: 64 * KiB,
  maxLiteralBytes: 64 * KiB,
  maxPreAuthLiteralBytes: 4 * KiB,
  maxAppendBytes: 50 * MiB,
  maxNestingDepth: 64,
  maxSearchKeys: 1000,
  maxSetElements: 10_000,
  maxBadCommands: 50,
  preAuthTimeoutMs: 60_000,
  maxPreAuthCommands: 20,
  maxAuthFailures: 3,
  authFailureDelayMs: 2_000,
  maxAuthFailureDelayMs: 30_000,
  authBackoffResetMs: 15 * 60_000,
  outputPauseBytes: 1 * MiB,
  outputDropBytes: 64 * MiB,
  maxBufferedInputBytes: 256 * KiB,
  idleKeepaliveMs: 2 * 60_000,
  autologoutMs: 30 * 60_000,
  longCommandNoticeMs: 60_000,
  changePollMs: 5_000,
  maxIdPairs: 30,
  maxIdFieldBytes: 30,
  maxIdValueBytes: 1024,
  maxConnections: 10_000,
  maxConnectionsPerIp: 100,
  maxConnectionsPerUser: 20,
  maxMailboxesPerUser: 1000,
  maxKeywordBytes: 100,
  maxMailboxNameBytes: 1024,
  maxMailboxDepth: 16,
});

export function resolveLimits(overrides: Partial<ImapLimits> = {}): ImapLimits {
  return { ...DEFAULT_LIMITS, ...overrides };
}
