// Every setting of the server, from a command-line flag or an environment variable, with its
// default. This is the only module that reads `process.env` (main.ts passes it in).
// Precedence: flag > environment variable > default.

/** Mailpit-compatible default ports, so existing app configurations keep working. */
export const DEFAULT_SMTP_PORT = 1025;
export const DEFAULT_HTTP_PORT = 8025;
export const DEFAULT_IMAP_PORT = 1143;
export const DEFAULT_IMAPS_PORT = 1993;
/** 50 MiB: larger than any realistic test mail, small enough that a few at once fit in memory. */
export const DEFAULT_MAX_MESSAGE_SIZE = 50 * 1024 * 1024;
/**
 * Longest wait request by default: covers a slow CI step; clients that hang up free their wait at
 * once, so the ceiling only bounds forgotten ones.
 */
export const DEFAULT_API_MAX_WAIT_MS = 5 * 60_000;
/** The account (IMAP login) whose INBOX receives every message. */
export const DEFAULT_CATCH_ALL_ADDRESS = 'catchall';

export type SmtpAuthMode = 'open' | 'required';
export type ImapAuthMode = 'open' | 'required';
/** auto: plaintext LOGIN before TLS only in open IMAP auth mode. */
export type ImapPlaintextLogin = 'auto' | 'allow' | 'refuse';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface SmtpCredential {
  username: string;
  password: string;
}

export interface LetterboxConfig {
  /** Interface every listener binds to. */
  host: string;
  /** Name the server gives itself in greetings (SMTP banner, EHLO). */
  hostname: string;
  smtpPort: number;
  /** Implicit-TLS SMTP port; null when off. */
  smtpsPort: number | null;
  httpPort: number;
  imapPort: number;
  imapsPort: number;
  dataDir: string;
  /** External PostgreSQL; null starts the embedded one under dataDir. */
  databaseUrl: string | null;
  /** Port of the embedded PostgreSQL; null lets the database layer choose. */
  embeddedPostgresPort: number | null;
  maxMessageSize: number;
  tlsCertPath: string | null;
  tlsKeyPath: string | null;
  smtpAuth: SmtpAuthMode;
  smtpCredentials: SmtpCredential[];
  /** Keep at most this many messages (the newest); null keeps all. */
  retentionMaxMessages: number | null;
  /** Remove messages older than this; null keeps them forever. */
  retentionMaxAgeMs: number | null;
  catchAllAddress: string;
  imapAuth: ImapAuthMode;
  imapCredentials: SmtpCredential[];
  imapPlaintextLogin: ImapPlaintextLogin;
  /** Bearer token every /api request must carry; null = the API is open. */
  apiToken: string | null;
  /** Origins allowed by CORS; ['*'] = any; [] = no CORS headers. */
  corsOrigins: string[];
  /** Longest timeout a wait request may ask for. */
  apiMaxWaitMs: number;
  /** Runs whose newest message is older than this are deleted; null = runs never expire. */
  runTtlMs: number | null;
  /** Load-test mode: no background MIME parse; messages are parsed when someone reads them. */
  loadTestMode: boolean;
  logLevel: LogLevel;
}

export interface SettingDescription {
  flag: string;
  env: string;
  default: string;
  description: string;
}

interface Setting extends SettingDescription {
  /** A bare flag (no value after it) means "on". */
  boolean?: true;
  apply(config: LetterboxConfig, value: string): void;
}

export class ConfigError extends Error {}

function parsePort(name: string, value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`${name}: "${value}" is not a port number (0-65535)`);
  }
  return port;
}

function parseOptionalPort(name: string, value: string): number | null {
  return value === '' || value === 'off' ? null : parsePort(name, value);
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 };

/** "52428800", "50mb", "512k" -> bytes. */
export function parseByteSize(name: string, value: string): number {
  const match = /^(\d+)\s*([a-z]*)$/i.exec(value.trim());
  const unit = match ? SIZE_UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined || Number(match[1]) <= 0) {
    throw new ConfigError(`${name}: "${value}" is not a size (e.g. 52428800, 50mb, 512k)`);
  }
  return Number(match[1]) * unit;
}

const DURATION_UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "7d", "12h", "30m", "90s" -> milliseconds; "" or "0" -> null (off). */
export function parseDuration(name: string, value: string): number | null {
  if (value === '' || value === '0' || value === 'off') return null;
  const match = /^(\d+)\s*([smhdw])$/i.exec(value.trim());
  if (!match || Number(match[1]) <= 0) {
    throw new ConfigError(`${name}: "${value}" is not a duration (e.g. 90s, 30m, 12h, 7d, 2w)`);
  }
  return Number(match[1]) * DURATION_UNITS[match[2]!.toLowerCase()]!;
}

function parseCount(name: string, value: string): number | null {
  if (value === '' || value === '0' || value === 'off') return null;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 0) throw new ConfigError(`${name}: "${value}" is not a whole number`);
  return count;
}

/** "alice:secret,bob:pa:ss" -> credentials; the password is everything after the first ':'. */
export function parseCredentials(name: string, value: string): SmtpCredential[] {
  if (value.trim() === '') return [];
  return value.split(',').map((entry) => {
    const colon = entry.indexOf(':');
    if (colon <= 0) throw new ConfigError(`${name}: "${entry}" is not user:password`);
    return { username: entry.slice(0, colon).trim(), password: entry.slice(colon + 1) };
  });
}

function nonEmpty(name: string, value: string): string {
  if (value.trim() === '') throw new ConfigError(`${name}: must not be empty`);
  return value.trim();
}

const SETTINGS: readonly Setting[] = [
  {
    flag: '--host', env: 'LETTERBOX_HOST', default: '127.0.0.1',
    description: 'Interface every listener binds to. Loopback by default: a catcher open to the network accepts mail from anyone; use 0.0.0.0 in a container.',
    apply: (c, v) => { c.host = nonEmpty('host', v); },
  },
  {
    flag: '--hostname', env: 'LETTERBOX_HOSTNAME', default: 'letterbox',
    description: 'Name used in the SMTP greeting and EHLO reply.',
    apply: (c, v) => { c.hostname = nonEmpty('hostname', v); },
  },
  {
    flag: '--smtp-port', env: 'LETTERBOX_SMTP_PORT', default: String(DEFAULT_SMTP_PORT),
    description: 'SMTP port (plain, STARTTLS offered).',
    apply: (c, v) => { c.smtpPort = parsePort('smtp-port', v); },
  },
  {
    flag: '--smtps-port', env: 'LETTERBOX_SMTPS_PORT', default: 'off',
    description: 'SMTP port with implicit TLS (e.g. 1465); off unless set.',
    apply: (c, v) => { c.smtpsPort = parseOptionalPort('smtps-port', v); },
  },
  {
    flag: '--http-port', env: 'LETTERBOX_HTTP_PORT', default: String(DEFAULT_HTTP_PORT),
    description: 'HTTP port for the web inbox and the API.',
    apply: (c, v) => { c.httpPort = parsePort('http-port', v); },
  },
  {
    flag: '--imap-port', env: 'LETTERBOX_IMAP_PORT', default: String(DEFAULT_IMAP_PORT),
    description: 'IMAP port (STARTTLS).',
    apply: (c, v) => { c.imapPort = parsePort('imap-port', v); },
  },
  {
    flag: '--imaps-port', env: 'LETTERBOX_IMAPS_PORT', default: String(DEFAULT_IMAPS_PORT),
    description: 'IMAP port with implicit TLS.',
    apply: (c, v) => { c.imapsPort = parsePort('imaps-port', v); },
  },
  {
    flag: '--data-dir', env: 'LETTERBOX_DATA_DIR', default: '.letterbox',
    description: 'Directory for the embedded PostgreSQL data and the generated TLS certificate.',
    apply: (c, v) => { c.dataDir = nonEmpty('data-dir', v); },
  },
  {
    flag: '--database-url', env: 'DATABASE_URL', default: '(embedded)',
    description: 'PostgreSQL connection URL; when unset an embedded PostgreSQL runs under the data directory.',
    apply: (c, v) => { c.databaseUrl = v.trim() === '' ? null : v.trim(); },
  },
  {
    flag: '--embedded-postgres-port', env: 'LETTERBOX_EMBEDDED_POSTGRES_PORT', default: '(automatic)',
    description: 'Port of the embedded PostgreSQL (loopback only).',
    apply: (c, v) => { c.embeddedPostgresPort = parseOptionalPort('embedded-postgres-port', v); },
  },
  {
    flag: '--max-message-size', env: 'LETTERBOX_MAX_MESSAGE_SIZE', default: '50mb',
    description: 'Largest message accepted (bytes, or with k/mb/gb); larger ones get 552 5.3.4 and are not stored.',
    apply: (c, v) => { c.maxMessageSize = parseByteSize('max-message-size', v); },
  },
  {
    flag: '--tls-cert', env: 'LETTERBOX_TLS_CERT', default: '(self-signed)',
    description: 'PEM certificate for STARTTLS and implicit TLS; a self-signed one for localhost is generated under the data directory when unset.',
    apply: (c, v) => { c.tlsCertPath = v.trim() === '' ? null : v.trim(); },
  },
  {
    flag: '--tls-key', env: 'LETTERBOX_TLS_KEY', default: '(self-signed)',
    description: 'PEM private key belonging to --tls-cert.',
    apply: (c, v) => { c.tlsKeyPath = v.trim() === '' ? null : v.trim(); },
  },
  {
    flag: '--smtp-auth', env: 'LETTERBOX_SMTP_AUTH', default: 'open',
    description: 'open: AUTH is optional and any credentials are accepted (the username is recorded); required: AUTH is required and checked against --smtp-credentials.',
    apply: (c, v) => {
      if (v !== 'open' && v !== 'required') throw new ConfigError(`smtp-auth: "${v}" is not open or required`);
      c.smtpAuth = v;
    },
  },
  {
    flag: '--smtp-credentials', env: 'LETTERBOX_SMTP_CREDENTIALS', default: '(none)',
    description: 'Accepted SMTP logins when --smtp-auth=required, as user:password pairs separated by commas.',
    apply: (c, v) => { c.smtpCredentials = parseCredentials('smtp-credentials', v); },
  },
  {
    flag: '--retention-max-messages', env: 'LETTERBOX_RETENTION_MAX_MESSAGES', default: 'off',
    description: 'Keep at most this many messages; older ones are removed in the background.',
    apply: (c, v) => { c.retentionMaxMessages = parseCount('retention-max-messages', v); },
  },
  {
    flag: '--retention-max-age', env: 'LETTERBOX_RETENTION_MAX_AGE', default: 'off',
    description: 'Remove messages older than this (e.g. 90s, 30m, 12h, 7d, 2w) in the background.',
    apply: (c, v) => { c.retentionMaxAgeMs = parseDuration('retention-max-age', v); },
  },
  {
    flag: '--catch-all-address', env: 'LETTERBOX_CATCH_ALL_ADDRESS', default: DEFAULT_CATCH_ALL_ADDRESS,
    description: 'Account (IMAP login) whose INBOX receives every message.',
    apply: (c, v) => { c.catchAllAddress = nonEmpty('catch-all-address', v); },
  },
  {
    flag: '--imap-auth', env: 'LETTERBOX_IMAP_AUTH', default: 'open',
    description: 'open: any recipient address (or the catch-all account) logs in with any password; required: only --imap-credentials, failures get NO [AUTHENTICATIONFAILED] after a delay.',
    apply: (c, v) => {
      if (v !== 'open' && v !== 'required') throw new ConfigError(`imap-auth: "${v}" is not open or required`);
      c.imapAuth = v;
    },
  },
  {
    flag: '--imap-credentials', env: 'LETTERBOX_IMAP_CREDENTIALS', default: '(none)',
    description: 'Accepted IMAP logins when --imap-auth=required, as address:password pairs separated by commas (the address is the account); *:token accepts that token for every account.',
    apply: (c, v) => { c.imapCredentials = parseCredentials('imap-credentials', v); },
  },
  {
    flag: '--imap-plaintext-login', env: 'LETTERBOX_IMAP_PLAINTEXT_LOGIN', default: 'auto',
    description: 'LOGIN/AUTHENTICATE on the IMAP port before STARTTLS: allow, refuse (LOGINDISABLED), or auto = allowed only with --imap-auth=open.',
    apply: (c, v) => {
      if (v !== 'auto' && v !== 'allow' && v !== 'refuse') throw new ConfigError(`imap-plaintext-login: "${v}" is not auto, allow or refuse`);
      c.imapPlaintextLogin = v;
    },
  },
  {
    flag: '--api-token', env: 'LETTERBOX_API_TOKEN', default: '(none)',
    description: 'When set, every /api request needs Authorization: Bearer <token> (or ?token=<token>, for EventSource); /healthz, /readyz and the docs page stay open.',
    apply: (c, v) => { c.apiToken = v.trim() === '' ? null : v.trim(); },
  },
  {
    flag: '--cors-origins', env: 'LETTERBOX_CORS_ORIGINS', default: '(none)',
    description: 'Origins allowed to call the API from a browser on another origin, separated by commas, or * for any.',
    apply: (c, v) => { c.corsOrigins = v.split(',').map((o) => o.trim()).filter((o) => o !== ''); },
  },
  {
    flag: '--api-max-wait', env: 'LETTERBOX_API_MAX_WAIT', default: '5m',
    description: 'Longest timeout a GET /api/v1/messages/wait request may ask for (e.g. 90s, 5m).',
    apply: (c, v) => {
      const ms = parseDuration('api-max-wait', v);
      if (ms === null) throw new ConfigError('api-max-wait: must be a duration (e.g. 90s, 5m), not off');
      c.apiMaxWaitMs = ms;
    },
  },
  {
    flag: '--run-ttl', env: 'LETTERBOX_RUN_TTL', default: 'off',
    description: 'Delete a test run once its newest message is older than this (e.g. 1h, 7d); off keeps runs until deleted.',
    apply: (c, v) => { c.runTtlMs = parseDuration('run-ttl', v); },
  },
  {
    flag: '--load-test-mode', env: 'LETTERBOX_LOAD_TEST_MODE', default: 'off', boolean: true,
    description: 'on: keep raw messages and envelopes but skip the background MIME parse (subject, addresses, text, HTML, attachments, links); a message is parsed when the API first reads it. See docs/load-testing.md.',
    apply: (c, v) => {
      if (!['on', 'off', 'true', 'false', '1', '0'].includes(v)) throw new ConfigError(`load-test-mode: "${v}" is not on or off`);
      c.loadTestMode = v === 'on' || v === 'true' || v === '1';
    },
  },
  {
    flag: '--log-level', env: 'LETTERBOX_LOG_LEVEL', default: 'info',
    description: 'debug, info, warn, error or silent.',
    apply: (c, v) => {
      if (!['debug', 'info', 'warn', 'error', 'silent'].includes(v)) throw new ConfigError(`log-level: "${v}" is not debug, info, warn, error or silent`);
      c.logLevel = v as LogLevel;
    },
  },
];

/** The settings with their flag, environment variable, default and description (README table). */
export const settingDescriptions: readonly SettingDescription[] = SETTINGS.map(({ flag, env, default: def, description }) => ({
  flag, env, default: def, description,
}));

export function defaultConfig(): LetterboxConfig {
  return {
    host: '127.0.0.1',
    hostname: 'letterbox',
    smtpPort: DEFAULT_SMTP_PORT,
    smtpsPort: null,
    httpPort: DEFAULT_HTTP_PORT,
    imapPort: DEFAULT_IMAP_PORT,
    imapsPort: DEFAULT_IMAPS_PORT,
    dataDir: '.letterbox',
    databaseUrl: null,
    embeddedPostgresPort: null,
    maxMessageSize: DEFAULT_MAX_MESSAGE_SIZE,
    tlsCertPath: null,
    tlsKeyPath: null,
    smtpAuth: 'open',
    smtpCredentials: [],
    retentionMaxMessages: null,
    retentionMaxAgeMs: null,
    catchAllAddress: DEFAULT_CATCH_ALL_ADDRESS,
    imapAuth: 'open',
    imapCredentials: [],
    imapPlaintextLogin: 'auto',
    apiToken: null,
    corsOrigins: [],
    apiMaxWaitMs: DEFAULT_API_MAX_WAIT_MS,
    runTtlMs: null,
    loadTestMode: false,
    logLevel: 'info',
  };
}

export type ConfigResult = { kind: 'config'; config: LetterboxConfig } | { kind: 'help'; text: string };

/** Builds the configuration from argv (without node and script) and an environment. */
export function loadConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ConfigResult {
  const config = defaultConfig();
  for (const setting of SETTINGS) {
    const value = env[setting.env];
    if (value !== undefined) setting.apply(config, value);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { kind: 'help', text: helpText() };
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const setting = SETTINGS.find((s) => s.flag === flag);
    if (!setting) throw new ConfigError(`unknown option ${arg} (see --help)`);
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else if (setting.boolean && (argv[i + 1] === undefined || argv[i + 1]!.startsWith('--'))) value = 'on';
    else value = argv[++i];
    if (value === undefined) throw new ConfigError(`${flag} needs a value`);
    setting.apply(config, value);
  }
  if (config.smtpAuth === 'required' && config.smtpCredentials.length === 0) {
    throw new ConfigError('smtp-auth=required needs at least one user:password in --smtp-credentials');
  }
  if (config.imapAuth === 'required' && config.imapCredentials.length === 0) {
    throw new ConfigError('imap-auth=required needs at least one address:password in --imap-credentials');
  }
  if ((config.tlsCertPath === null) !== (config.tlsKeyPath === null)) {
    throw new ConfigError('--tls-cert and --tls-key go together');
  }
  return { kind: 'config', config };
}

/** The settings as a Markdown table; README.md carries this table. */
export function settingsMarkdownTable(): string {
  const escape = (s: string) => s.replaceAll('|', '\\|');
  const rows = settingDescriptions.map((s) => `| \`${s.flag}\` | \`${s.env}\` | ${escape(s.default)} | ${escape(s.description)} |`);
  return ['| Flag | Environment variable | Default | Meaning |', '|---|---|---|---|', ...rows].join('\n');
}

function helpText(): string {
  const lines = ['Usage: letterbox [options]', '', 'Every option can also be set by its environment variable.', ''];
  for (const s of settingDescriptions) {
    lines.push(`  ${s.flag} <value>   (${s.env}, default ${s.default})`, `      ${s.description}`);
  }
  return lines.join('\n');
}
