// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import { readHeatmap, readSuggestions, readTokenPopup, watcher } from './probe';

const grid = (running: string, states: string[]) =>
  `<section role="dialog" aria-label="Suggestions" data-round="r7" data-running="${running}"><ol>` +
  states.map((s, i) => `<li class="suggestion" data-state="${s}"><kbd>${i + 1}</kbd><span class="suggestion-text"> text ${i + 1}</span></li>`).join('') +
  '</ol></section>';

const popup = (top: string, head: string, selected: number) =>
  `<div class="token-popup" data-testid="token-popup" style="${top}"><div class="token-popup-head">${head}</div><ul role="listbox">` +
  [0, 1, 2].map((i) => `<li role="option" aria-selected="${i === selected}"></li>`).join('') +
  '</ul></div>';

beforeEach(() => {
  document.body.innerHTML = '';
});

describe('test probe readers', () => {
  it.each([
    ['no grid', '', null],
    ['a running round', grid('true', ['done', 'done', 'streaming']), null],
    ['a slot still streaming', grid('false', ['done', 'streaming']), null],
    ['no slots yet', grid('false', []), null],
    ['every slot done or failed', grid('false', ['done', 'error', 'done']), '{"round":"r7","texts":[" text 1"," text 2"," text 3"]}'],
  ])('suggestions: %s', (_, html, want) => {
    document.body.innerHTML = html;
    expect(readSuggestions(document)).toBe(want);
  });

  it.each([
    ['no legend', '<div class="fragment"><span class="token" data-token-bucket="1"></span></div><style data-token-styles></style>', null],
    ['legend without styles', '<aside class="heatmap-legend"></aside>', null],
    [
      'shown',
      '<div class="fragment"><span class="token" data-token-bucket="1"></span><span class="token" data-token-bucket="4"></span></div>' +
        '<style data-token-styles></style><aside class="heatmap-legend"><span class="token" data-token-bucket="0"></span></aside>',
      '{"tokens":2}',
    ],
  ])('heatmap: %s', (_, html, want) => {
    document.body.innerHTML = html;
    expect(readHeatmap(document)).toBe(want);
  });

  it.each([
    ['no popup', '', null],
    ['not placed yet', popup('', 'Token 2 of 9', 1), null],
    ['placed', popup('left: 4px; top: 30px', 'Token 2 of 9', 1), '{"token":2,"of":9,"choice":1}'],
  ])('token popup: %s', (_, html, want) => {
    document.body.innerHTML = html;
    expect(readTokenPopup(document)).toBe(want);
  });
});

describe('watcher', () => {
  it('reports a state once after paint, only if it still holds, and again after it went away', () => {
    const reports: string[] = [];
    const painted: (() => void)[] = [];
    const check = watcher((e, d) => reports.push(`${e} ${d}`), document, (cb) => painted.push(cb));
    const paint = () => painted.splice(0).forEach((cb) => cb());

    document.body.innerHTML = grid('false', ['done']);
    check();
    check(); // unchanged: nothing more scheduled
    expect(reports).toEqual([]); // not before the frame is painted
    paint();
    expect(reports).toEqual(['suggestions {"round":"r7","texts":[" text 1"]}']);

    document.body.innerHTML = popup('top: 1px', 'Token 1 of 3', 0);
    check();
    document.body.innerHTML = popup('top: 1px', 'Token 2 of 3', 0); // changed before the paint
    paint();
    check();
    paint();
    expect(reports.slice(1)).toEqual(['token-popup {"token":2,"of":3,"choice":0}']);

    document.body.innerHTML = grid('false', ['done']); // the grid again, after it went away
    check();
    paint();
    expect(reports.slice(2)).toEqual(['suggestions {"round":"r7","texts":[" text 1"]}']);
  });
});
