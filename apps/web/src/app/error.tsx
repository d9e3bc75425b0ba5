'use client';
// Shown when the API cannot be reached or answers with an error.
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main id="content">
      <div className="notice error" role="alert">
        <h1>Letterbox could not load this page</h1>
        <p>{error.message || 'The HTTP API did not answer.'}</p>
        <p>Check that Letterbox is running (<code>pnpm start</code>) and that <a href="/readyz">/readyz</a> says ready, then try again.</p>
        <button type="button" onClick={reset}>Try again</button>
      </div>
    </main>
  );
}
