// What the server tells the UI about itself (endpoints, retention, version), through the
// environment of the process that serves both. Not secret: shown on the settings page.
export const WEB_ENV = {
  apiUrl: 'LETTERBOX_WEB_API_URL',
  info: 'LETTERBOX_WEB_INFO',
} as const;

export interface WebInfo {
  version: string;
  /** The host name clients use, e.g. localhost. */
  host: string;
  smtpPort: number;
  smtpsPort: number | null;
  imapPort: number;
  imapsPort: number;
  httpPort: number;
  retention: { maxMessages: number | null; maxAgeMs: number | null };
  catchAllAddress: string;
  smtpAuth: string;
  imapAuth: string;
}
