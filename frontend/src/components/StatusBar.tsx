import { memo, type ReactNode, useDeferredValue, useState } from 'react';
import { type Fragment, type Mode, StatsCounter } from '../editor';
import type { Settings } from '../settings/settings';

interface Props {
  mode: Mode;
  /** Shown instead of the mode while a sub-mode is on (token mode: `TOKEN`). */
  modeLabel?: string | null;
  fragments: readonly Fragment[];
  settings: Settings;
  aiAvailable: boolean;
  onFontStep: (dir: 1 | -1) => void;
  onThemeCycle: () => void;
  /** The AI models' status (src/assist); keep it a stable element, the bar is memoised. */
  assistStatus?: ReactNode;
  /** The save indicator (src/documents); keep it a stable element, the bar is memoised. */
  documentStatus?: ReactNode;
}

/** What the counts show until the first deferred render counted the document. */
const NOT_COUNTED: readonly Fragment[] = [];

const THEME_LABEL = { system: 'Theme: system', light: 'Theme: light', dark: 'Theme: dark' } as const;

/** Lives in the bottom padding around the list: mode, counts, appearance controls. */
export const StatusBar = memo(function StatusBar({ mode, modeLabel, fragments, settings, aiAvailable, onFontStep, onThemeCycle, assistStatus, documentStatus }: Props) {
  // Counting waits until the frame after a change is painted (a deferred render). On opening too:
  // the first frame shows the document, and its counts follow (a novel's take about 100 ms).
  const [counter] = useState(() => new StatsCounter());
  const counted = useDeferredValue(fragments, NOT_COUNTED);
  const stats = counted === NOT_COUNTED && fragments.length > 0 ? null : counter.count(counted);
  const keepFocus = (e: React.MouseEvent) => e.preventDefault();
  return (
    <footer className="status-bar" aria-label="Status">
      <span className="status-mode" data-testid="status-mode">
        {modeLabel ?? mode}
      </span>
      <span data-testid="status-fragments">{plural(fragments.length, 'fragment')}</span>
      <span data-testid="status-words">{stats ? plural(stats.words, 'word') : '… words'}</span>
      <span data-testid="status-chars">{stats ? plural(stats.chars, 'character') : '… characters'}</span>
      {documentStatus}
      <span className="status-spacer" />
      {assistStatus}
      {aiAvailable ? null : <span className="status-muted">AI unavailable (no server)</span>}
      <span className="status-muted">? help</span>
      <button type="button" tabIndex={-1} onMouseDown={keepFocus} onClick={() => onFontStep(-1)} aria-label="Smaller text">
        A−
      </button>
      <span className="status-muted" data-testid="status-font-size">
        {settings.fontSize}px
      </span>
      <button type="button" tabIndex={-1} onMouseDown={keepFocus} onClick={() => onFontStep(1)} aria-label="Larger text">
        A+
      </button>
      <button type="button" tabIndex={-1} onMouseDown={keepFocus} onClick={onThemeCycle}>
        {THEME_LABEL[settings.theme]}
      </button>
    </footer>
  );
});

const numbers = new Intl.NumberFormat('en');

function plural(n: number, word: string): string {
  return `${numbers.format(n)} ${word}${n === 1 ? '' : 's'}`;
}
