import { useEffect, useRef, useState } from 'react';
import { clipboardSetText } from '../bridge';

interface Props {
  text: string;
  /** Accessible name, e.g. "Copy base URL". */
  label: string;
  className?: string;
}

/** Copies text to the system clipboard and says so for a moment. */
export function CopyButton({ text, label, className }: Props) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
  const copy = async () => {
    const ok = await clipboardSetText(text);
    setState(ok ? 'copied' : 'failed');
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => setState('idle'), 1600);
  };
  return (
    <button type="button" className={`px-copy ${className ?? ''}`} data-state={state} aria-label={label} onClick={() => void copy()}>
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy'}
    </button>
  );
}
