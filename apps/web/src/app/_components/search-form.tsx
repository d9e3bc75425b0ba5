'use client';
// The search box: a plain GET form (works before hydration); keeps the query of the URL.
import { useSearchParams } from 'next/navigation';

export const SEARCH_INPUT_ID = 'search';

export function SearchForm() {
  const params = useSearchParams();
  return (
    <form role="search" action="/" method="get">
      <label className="sr-only" htmlFor={SEARCH_INPUT_ID}>Search mail</label>
      <input
        id={SEARCH_INPUT_ID}
        key={params.get('q') ?? ''}
        type="search"
        name="q"
        defaultValue={params.get('q') ?? ''}
        placeholder='Search: from: to: subject: has:attachment is:unread before: after: "phrase" -word  (press /)'
        autoComplete="off"
      />
      <button type="submit">Search</button>
      <a href="/settings#search-syntax">Syntax</a>
    </form>
  );
}
