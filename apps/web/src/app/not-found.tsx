import Link from 'next/link';

export default function NotFound() {
  return (
    <main id="content">
      <div className="notice" role="alert">
        <h1>Not found</h1>
        <p>This message was deleted, or never existed. <Link href="/">Back to the inbox</Link></p>
      </div>
    </main>
  );
}
