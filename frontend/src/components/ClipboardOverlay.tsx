import { memo } from 'react';
import type { Fragment } from '../editor';

/** The fragment clipboard of x / v, shown while it holds anything. */
export const ClipboardOverlay = memo(function ClipboardOverlay({ items }: { items: readonly Fragment[] }) {
  if (items.length === 0) return null;
  return (
    <section className="overlay overlay--clipboard" role="region" aria-label="Fragment clipboard">
      <h2>
        Clipboard <span className="overlay-count">{items.length}</span>
      </h2>
      <ol>
        {items.slice(0, 8).map((f) => (
          <li key={f.id}>{preview(f.text)}</li>
        ))}
      </ol>
      {items.length > 8 ? <p className="overlay-hint">and {items.length - 8} more</p> : null}
      <p className="overlay-hint">
        <kbd>v</kbd> pastes the first
      </p>
    </section>
  );
});

function preview(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim() || '(whitespace)';
  return t.length > 80 ? `${t.slice(0, 79)}…` : t;
}
