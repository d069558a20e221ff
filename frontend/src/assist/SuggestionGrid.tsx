import { memo, useLayoutEffect, useMemo, useState } from 'react';
import { colorMap, errorHint, groupSlots, isRunning, type RoundView, type SlotGroup } from './round';
import { type AssistStore, useAssistStore } from './store';
import type { ModelStatus, SlotUpdate } from './types';

/**
 * The suggestion grid: floats over the list (docked to the edge away from the selection) and
 * never reflows it. One group per model of the round, in its colour; suggestions numbered in
 * reading order. Only this component re-renders on a batch, and within it only the slots whose
 * text changed.
 */
export const SuggestionGrid = memo(function SuggestionGrid({ store }: { store: AssistStore }) {
  const round = useAssistStore(store, (s) => (s.gridOpen ? s.round : null));
  const models = useAssistStore(store, (s) => s.models);
  const colors = useMemo(() => colorMap(models), [models]);
  const dock = useDockAwayFromSelection(round?.key);
  if (!round) return null;
  const groups = groupSlots(round, colors);
  const title = round.kind === 'rewrite' ? 'Rewrites' : 'Suggestions';
  return (
    <section
      className={`overlay overlay--suggestions overlay--suggestions-${dock}`}
      role="dialog"
      aria-label={title}
      data-round={round.id ?? ''}
      data-running={isRunning(round) ? 'true' : 'false'}
    >
      <header className="suggestions-head">
        <h2>{title}</h2>
        <span className="suggestions-hint">
          {round.kind === 'rewrite' ? (
            <>
              <kbd>1</kbd>–<kbd>0</kbd> replace
            </>
          ) : (
            <>
              <kbd>1</kbd>–<kbd>0</kbd> insert and ask again · <kbd>Ctrl</kbd>+digit insert
            </>
          )}{' '}
          · <kbd>Esc</kbd> {isRunning(round) ? 'stop' : 'close'}
        </span>
      </header>
      {round.error !== null ? <RoundError message={round.error} /> : <Groups groups={groups} round={round} />}
    </section>
  );
});

function Groups({ groups, round }: { groups: SlotGroup[]; round: RoundView }) {
  if (groups.length === 0) return <p className="suggestions-empty">{round.id === null ? 'Asking the models…' : 'Waiting for the models…'}</p>;
  return (
    <div className="suggestion-groups">
      {groups.map((g) => (
        <section key={g.model} className="suggestion-group" style={{ '--model-color': g.color } as React.CSSProperties} aria-label={g.model}>
          <h3>
            <span className="model-dot" aria-hidden="true" />
            <span className="suggestion-model">{g.model}</span>
            <StatusText status={g.status} />
          </h3>
          <ol className="suggestion-list">
            {g.slots.map((s) => (
              <SlotView key={s.slot} slot={s} />
            ))}
          </ol>
        </section>
      ))}
    </div>
  );
}

const SlotView = memo(function SlotView({ slot }: { slot: SlotUpdate }) {
  const state = slot.error ? 'error' : slot.done ? 'done' : slot.text === '' ? 'waiting' : 'streaming';
  return (
    <li className="suggestion" data-number={slot.number} data-state={state}>
      <kbd>{slot.number}</kbd>
      <span className="suggestion-text">{slot.error ? slot.error : slot.text === '' ? '…' : slot.text}</span>
    </li>
  );
});

function RoundError({ message }: { message: string }) {
  const hint = errorHint(message);
  return (
    <div className="suggestions-error" role="alert">
      <p>{message}</p>
      {hint ? <p className="suggestions-error-hint">{hint}</p> : null}
    </div>
  );
}

/** A model's state in words: idle, waiting, streaming with its rate, or the backend's error. */
export function StatusText({ status }: { status: ModelStatus | undefined }) {
  if (!status) return <span className="model-state">idle</span>;
  const text =
    status.state === 'streaming'
      ? `streaming ${status.tps.toFixed(1)} tok/s`
      : status.state === 'error'
        ? `error: ${status.message ?? 'failed'}`
        : status.state;
  return (
    <span className="model-state" data-state={status.state} title={status.message}>
      {text}
    </span>
  );
}

/** 'bottom' unless the selected fragment sits in the lower half of the list when the round starts. */
function useDockAwayFromSelection(roundKey: number | undefined): 'top' | 'bottom' {
  const [dock, setDock] = useState<'top' | 'bottom'>('bottom');
  useLayoutEffect(() => {
    if (roundKey === undefined) return;
    const list = document.querySelector('[role="listbox"][aria-label="Fragments"]');
    const sel = list?.querySelector('[aria-selected="true"]');
    if (!list || !sel) return;
    const box = list.getBoundingClientRect();
    const r = sel.getBoundingClientRect();
    // Measuring layout and setting state before paint is what layout effects are for: the grid
    // renders once more, docked, before the browser paints it.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setDock(r.top + r.height / 2 > box.top + box.height / 2 ? 'top' : 'bottom');
  }, [roundKey]);
  return dock;
}
