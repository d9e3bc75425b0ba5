import 'server-only';
// The only place the web app reads the environment (set by apps/server's web-ui.ts).
import { WEB_ENV, type WebInfo } from './web-info';

const DEFAULT_API_URL = 'http://127.0.0.1:8025';

export const env = {
  apiUrl: (): string => process.env[WEB_ENV.apiUrl] ?? DEFAULT_API_URL,
  info: (): WebInfo | null => {
    const raw = process.env[WEB_ENV.info];
    return raw ? (JSON.parse(raw) as WebInfo) : null;
  },
};
