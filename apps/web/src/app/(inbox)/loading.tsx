export default function Loading() {
  return (
    <main id="content" aria-busy="true">
      <p className="empty" role="status">Loading mail…</p>
    </main>
  );
}
