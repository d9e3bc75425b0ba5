'use client';
// Shown when the API answers 401: this Letterbox was started with --api-token. The token is kept
// in a same-site cookie for the server components and read by the browser's own API calls.
import { useState } from 'react';
import { API_TOKEN_COOKIE } from '~/lib/api-token';

export function TokenForm({ wrong }: { wrong: boolean }) {
  const [token, setToken] = useState('');
  return (
    <main id="content" style={{ maxWidth: '32rem' }}>
      <h1>API token required</h1>
      <p>This Letterbox was started with <code>--api-token</code>. Enter the token to see its mail.</p>
      {wrong && <p className="notice error" role="alert">The token in use was refused.</p>}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          document.cookie = `${API_TOKEN_COOKIE}=${encodeURIComponent(token)}; path=/; SameSite=Strict`;
          window.location.reload();
        }}
      >
        <label htmlFor="api-token">API token</label>{' '}
        <input id="api-token" type="password" value={token} onChange={(e) => setToken(e.target.value)} autoComplete="current-password" required />{' '}
        <button type="submit">Continue</button>
      </form>
    </main>
  );
}
