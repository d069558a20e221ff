import { memo } from 'react';
import { type AssistStore, useAssistStore } from './store';
import type { ModelInfo } from './types';

/**
 * Provenance (`a`): a style sheet that underlines model fragments in their model's colour (dashed
 * once edited). It only styles the options' data attributes, so the list neither re-renders nor
 * changes its text content when it is toggled.
 */
export const AttributionStyle = memo(function AttributionStyle({ store }: { store: AssistStore }) {
  const on = useAssistStore(store, (s) => s.attribution);
  const models = useAssistStore(store, (s) => s.models);
  if (!on) return null;
  return <style data-attribution="">{attributionCss(models ?? [])}</style>;
});

export function attributionCss(models: readonly ModelInfo[]): string {
  const base =
    '.fragment[data-source="model"]{text-decoration-line:underline;text-decoration-thickness:2px;' +
    'text-underline-offset:0.22em;text-decoration-color:var(--muted)}' +
    '.fragment[data-source="model"][data-edited="true"]{text-decoration-style:dashed}';
  const perModel = models.map((m) => `.fragment[data-model="${cssString(m.name)}"]{text-decoration-color:${safeColor(m.settings.color)}}`);
  return [base, ...perModel].join('\n');
}

function cssString(s: string): string {
  return s.replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\a ');
}

function safeColor(c: string): string {
  return /^#[0-9a-fA-F]{6}$/.test(c) ? c : 'var(--muted)';
}
