import { useEffect, useRef } from 'react';

interface Props {
  query: string;
  onQuery: (q: string) => void;
  /** Position of the current match (1-based), 0 before the first Enter. */
  current: number;
  total: number;
}

/** The search box. Enter and Escape reach the key dispatcher ("search" context). */
export function SearchOverlay({ query, onQuery, current, total }: Props) {
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const status = query === '' ? 'type to search' : total === 0 ? 'no match' : current > 0 ? `${current} of ${total}` : `${total} found`;
  return (
    <section className="overlay overlay--search" role="dialog" aria-label="Search">
      <input
        ref={input}
        data-search=""
        type="search"
        aria-label="Search the document"
        placeholder="Search…"
        value={query}
        onChange={(e) => onQuery(e.target.value)}
        spellCheck={false}
      />
      <span className="search-status" role="status">
        {status}
      </span>
    </section>
  );
}
