import { describe, expect, it } from 'vitest';
import { altLabel, type Choice, cycleAlternative, insertChoice, replaceWithChoice } from './alternatives';
import { commitDraft, startEdit, undo, redo } from './commands';
import { setDraftText } from './draft';
import { parseList, showList } from './notation';

const L = parseList;
const A = (text: string): Choice => ({ text, source: { kind: 'model', model: 'alpha' } });
const B = (text: string): Choice => ({ text, source: { kind: 'model', model: 'beta' } });

describe('insertChoice (a digit on a continue round)', () => {
  it.each([
    [['[A. ]', 'C. ', '<new>'], ['A. ', '[ B1.]', 'C. ', '<new>']],
    [['A. ', '[<new>]'], ['A. ', '[ B1.]', '<new>']],
    [['[<new>]'], ['[ B1.]', '<new>']],
  ])('%j → %j: right of the selection, selected', (start, end) => {
    expect(showList(insertChoice(L(start), [A(' A1.'), B(' B1.')], 1))).toEqual(end);
  });

  it('records the model, the round as alternatives and the chosen index', () => {
    const s = insertChoice(L(['[A. ]', '<new>']), [A(' a.'), B(' b.'), B(' c.')], 1);
    const f = s.fragments[1]!;
    expect(f.source).toEqual({ kind: 'model', model: 'beta' });
    expect(f.alternatives).toEqual([' a.', ' b.', ' c.']);
    expect(f.alt).toBe(1);
    expect(f.edited).toBeUndefined();
    expect(altLabel(f)).toBe('2/3');
  });

  it('attaches no alternatives for a single text', () => {
    const f = insertChoice(L(['[<new>]']), [A('Only.')], 0).fragments[0]!;
    expect(f.alternatives).toBeUndefined();
    expect(altLabel(f)).toBeUndefined();
  });

  it('is one undo step, and does nothing for an empty or missing choice', () => {
    const start = L(['[A. ]', '<new>']);
    const s = insertChoice(start, [A(' a.')], 0);
    expect(s.revision).toBe(1);
    expect(showList(undo(s))).toEqual(['[A. ]', '<new>']);
    expect(insertChoice(start, [A('')], 0)).toBe(start);
    expect(insertChoice(start, [A(' a.')], 3)).toBe(start);
  });
});

describe('cycleAlternative (Up/Down)', () => {
  const withAlts = () => insertChoice(L(['[A. ]', '<new>']), [A(' a.'), B(' b.'), A(' c.')], 0);

  it('Down and Up step through the alternatives in place, wrapping around', () => {
    let s = withAlts();
    expect(showList(s)).toEqual(['A. ', '[ a.]', '<new>']);
    s = cycleAlternative(s, 1);
    expect(showList(s)).toEqual(['A. ', '[ b.]', '<new>']);
    expect(altLabel(s.fragments[1]!)).toBe('2/3');
    expect(s.fragments[1]!.source).toEqual({ kind: 'model', model: 'beta' });
    s = cycleAlternative(cycleAlternative(s, 1), 1);
    expect(showList(s)).toEqual(['A. ', '[ a.]', '<new>']);
    s = cycleAlternative(s, -1);
    expect(showList(s)).toEqual(['A. ', '[ c.]', '<new>']);
    expect(s.fragments[1]!.source).toEqual({ kind: 'model', model: 'alpha' });
  });

  it('keeps the id and is undoable step by step', () => {
    const start = withAlts();
    const s = cycleAlternative(cycleAlternative(start, 1), 1);
    expect(s.fragments[1]!.id).toBe(start.fragments[1]!.id);
    expect(showList(undo(s))).toEqual(['A. ', '[ b.]', '<new>']);
    expect(showList(undo(undo(s)))).toEqual(['A. ', '[ a.]', '<new>']);
    expect(showList(redo(undo(s)))).toEqual(['A. ', '[ c.]', '<new>']);
  });

  it('does nothing without alternatives, on <new>, or outside explore mode', () => {
    const plain = L(['[A. ]', '<new>']);
    expect(cycleAlternative(plain, 1)).toBe(plain);
    const onNew = { ...withAlts(), selection: 2 };
    expect(cycleAlternative(onNew, 1)).toBe(onNew);
    const editing = startEdit(withAlts());
    expect(cycleAlternative(editing, 1)).toBe(editing);
  });

  it('keeps an edited text as an alternative of its own', () => {
    let s = commitDraft(setDraftText(startEdit(withAlts()), ' a!'));
    expect(s.fragments[1]!.edited).toBe(true);
    expect(altLabel(s.fragments[1]!)).toBe('–/3');
    s = cycleAlternative(s, 1);
    expect(showList(s)).toEqual(['A. ', '[ b.]', '<new>']);
    expect(s.fragments[1]!.alternatives).toEqual([' a.', ' a!', ' b.', ' c.']);
    expect(s.fragments[1]!.edited).toBeUndefined();
    expect(altLabel(s.fragments[1]!)).toBe('3/4');
    s = cycleAlternative(s, -1);
    expect(showList(s)).toEqual(['A. ', '[ a!]', '<new>']);
  });
});

describe('replaceWithChoice (a digit on a rewrite round)', () => {
  it('replaces the text, keeps the original as the first alternative, one undo step', () => {
    const start = L(['A. ', '[B. ]', 'C. ', '<new>']);
    const s = replaceWithChoice({ ...start, selection: 0 }, 1, [A('Bee. '), B('Be. ')], 1);
    expect(showList(s)).toEqual(['A. ', '[Be. ]', 'C. ', '<new>']);
    const f = s.fragments[1]!;
    expect(f.id).toBe(start.fragments[1]!.id);
    expect(f.source).toEqual({ kind: 'model', model: 'beta' });
    expect(f.alternatives).toEqual(['B. ', 'Bee. ', 'Be. ']);
    expect(altLabel(f)).toBe('3/3');
    expect(showList(undo(s))).toEqual(['[A. ]', 'B. ', 'C. ', '<new>']);
    const back = cycleAlternative(cycleAlternative(s, 1), 1);
    expect(showList(back)).toEqual(['A. ', '[Bee. ]', 'C. ', '<new>']);
    expect(showList(cycleAlternative(s, 1))).toEqual(['A. ', '[B. ]', 'C. ', '<new>']);
    expect(cycleAlternative(s, 1).fragments[1]!.source).toEqual({ kind: 'typed' });
  });

  it('does nothing for a missing fragment or an empty text', () => {
    const start = L(['[A. ]', '<new>']);
    expect(replaceWithChoice(start, 1, [A('x')], 0)).toBe(start);
    expect(replaceWithChoice(start, 0, [A('')], 0)).toBe(start);
  });
});
