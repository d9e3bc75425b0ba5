import Link from 'next/link';
import { Suspense } from 'react';
import { SearchForm } from './search-form';

export function TopBar() {
  return (
    <header className="topbar">
      <Link className="brand" href="/">Letterbox</Link>
      <Suspense fallback={<div style={{ flex: 1 }} />}>
        <SearchForm />
      </Suspense>
      <nav aria-label="Main">
        <Link href="/">Inbox</Link>
        <Link href="/fault-rules">Faults</Link>
        <Link href="/settings">Settings</Link>
        <a href="/api/docs">API docs</a>
      </nav>
    </header>
  );
}
