import { memo, useLayoutEffect, useState } from 'react';
import { candidatesOf, type EditorState, probLabel } from '../editor';
import { type AssistStore, useAssistStore } from './store';

/**
 * The probability heatmap (`p`) and token mode's highlight: a style sheet over the token spans'
 * data attributes (FragmentView renders `span.token[data-token-prob][data-token-bucket]` for every
 * fragment with tokens), so toggling neither re-renders the list nor changes its text.
 *
 * The scale is one hue (Okabe–Ito blue, safe for every common colour-vision deficiency, and clear
 * on the yellow of the selection) in four strengths, darker for less likely tokens; the least
 * likely also get a wavy underline (Okabe–Ito vermillion), so the scale does not rest on colour
 * alone. Likely tokens (≥ 80 %) stay unshaded.
 */
export const SHADES: readonly { bucket: number; label: string; bg: string }[] = [
  { bucket: 0, label: '< 10 %', bg: 'rgba(0,114,178,0.46)' },
  { bucket: 1, label: '10–30 %', bg: 'rgba(0,114,178,0.32)' },
  { bucket: 2, label: '30–50 %', bg: 'rgba(0,114,178,0.2)' },
  { bucket: 3, label: '50–80 %', bg: 'rgba(0,114,178,0.1)' },
];

export function heatmapCss(scope: string): string {
  const rules = SHADES.map((s) => `${scope} .token[data-token-bucket="${s.bucket}"]{background:${s.bg};border-radius:2px}`);
  rules.push(
    `${scope} .token[data-token-bucket="0"]{text-decoration-line:underline;text-decoration-style:wavy;` +
      'text-decoration-color:#d55e00;text-decoration-thickness:1.5px;text-underline-offset:0.22em}',
  );
  return rules.join('\n');
}

const NO_PROBS_CSS =
  '.fragment[data-probs="none"]::after{content:"no probabilities from this server";font-size:0.62em;' +
  'vertical-align:super;margin-left:0.3em;color:var(--muted);white-space:nowrap}';

export const TokenStyles = memo(function TokenStyles({ store }: { store: AssistStore }) {
  const heatmap = useAssistStore(store, (s) => s.heatmap);
  const token = useAssistStore(store, (s) => s.token);
  const parts: string[] = [];
  if (heatmap) parts.push(heatmapCss('.fragment'), NO_PROBS_CSS);
  if (token) {
    const scope = `.fragment[data-id="${cssString(token.fragmentId)}"]`;
    if (!heatmap) parts.push(heatmapCss(scope));
    parts.push(`${scope} .token[data-token-index="${token.index}"]{outline:2px solid var(--accent, #0072b2);outline-offset:1px}`);
  }
  if (parts.length === 0) return null;
  return <style data-token-styles="">{parts.join('\n')}</style>;
});

/** The heatmap's legend, bottom right while the heatmap shows. */
export const HeatmapLegend = memo(function HeatmapLegend({ store }: { store: AssistStore }) {
  const heatmap = useAssistStore(store, (s) => s.heatmap);
  if (!heatmap) return null;
  return (
    <aside className="heatmap-legend" aria-label="Token probability legend">
      <span>Token probability</span>
      {SHADES.map((s) => (
        <span key={s.bucket} className="heatmap-swatch" data-bucket={s.bucket}>
          <span className="token" data-token-bucket={s.bucket} style={{ background: s.bg }}>
            abc
          </span>{' '}
          {s.label}
        </span>
      ))}
      <span className="heatmap-swatch">abc ≥ 80 %</span>
      <span className="status-muted">p hides · t picks another token</span>
    </aside>
  );
});

/**
 * Token mode's popup under the selected token: its candidates with their probabilities, the chosen
 * one marked (↑/↓), Enter regenerates from it.
 */
export function TokenPopup({ store, getState }: { store: AssistStore; getState: () => EditorState }) {
  const token = useAssistStore(store, (s) => s.token);
  const [pos, setPos] = useState<{ left: number; top: number } | null>(null);
  const fragment = token ? getState().fragments.find((f) => f.id === token.fragmentId) : undefined;
  useLayoutEffect(() => {
    if (!token) return;
    const el = document.querySelector(`.fragment[data-id="${cssString(token.fragmentId)}"] [data-token-index="${token.index}"]`);
    el?.scrollIntoView?.({ block: 'nearest' });
    const r = el?.getBoundingClientRect();
    // Measuring layout and setting state before paint is what layout effects are for: the popup
    // renders once more, placed under its token, before the browser paints it.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setPos(r ? { left: Math.max(4, Math.min(r.left, window.innerWidth - 260)), top: r.bottom + 6 } : null);
  }, [token]);
  if (!token || !fragment?.tokens) return null;
  const candidates = candidatesOf(fragment.tokens, token.index);
  const optId = (i: number) => `token-candidate-${i}`;
  return (
    <div className="token-popup" style={pos ? { left: pos.left, top: pos.top } : undefined} data-testid="token-popup">
      <div className="token-popup-head">
        Token {token.index + 1} of {fragment.tokens.length}
      </div>
      <ul role="listbox" aria-label="Token alternatives" aria-activedescendant={optId(token.choice)} tabIndex={-1}>
        {candidates.map((c, i) => (
          <li key={c.t} id={optId(i)} role="option" aria-selected={i === token.choice} data-token-prob={probLabel(c.p)}>
            <code>{visible(c.t)}</code>
            <span className="token-popup-prob">{Math.round(c.p * 100)} %</span>
          </li>
        ))}
      </ul>
      <div className="overlay-hint">
        <kbd>←</kbd>/<kbd>→</kbd> token · <kbd>↑</kbd>/<kbd>↓</kbd> choose · <kbd>Enter</kbd> regenerate from it · <kbd>Esc</kbd> leave
      </div>
    </div>
  );
}

/** Whitespace made visible in the popup: a space is `·`, a newline `⏎`. */
export function visible(t: string): string {
  return t.replace(/ /g, '·').replace(/\n/g, '⏎').replace(/\t/g, '→');
}

function cssString(s: string): string {
  return s.replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\a ');
}
