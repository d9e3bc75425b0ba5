/** The cookie that carries the API token of a Letterbox started with --api-token (set by TokenForm). */
export const API_TOKEN_COOKIE = 'letterbox-api-token';

export function readTokenCookie(cookieHeader: string): string | null {
  for (const part of cookieHeader.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === API_TOKEN_COOKIE) return decodeURIComponent(value.join('='));
  }
  return null;
}
