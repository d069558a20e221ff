import { describe, expect, it } from 'vitest';
import { cycleAlternative } from './alternatives';
import { commitDraft, setDraftText, startEdit, undo } from './index';
import { createState } from './state';
import { beginRegenerate, candidatesOf, finishRegenerate, probBucket, probLabel, regeneratePrefix, setNotes, streamInto } from './tokens';
import type { Fragment, TokenProb } from './types';

const toks: TokenProb[] = [
  { t: 'The', p: 0.9 },
  { t: ' rain', p: 0.25, top: [{ t: ' snow', p: 0.5 }, { t: ' rain', p: 0.25 }, { t: ' wind', p: 0.1 }] },
  { t: ' fell', p: 0.7 },
  { t: '.', p: 0.99 },
];
const frag: Fragment = { id: 'f1', text: 'The rain fell.', source: { kind: 'model', model: 'm' }, tokens: toks };

describe('token probabilities', () => {
  it('labels and shades probabilities', () => {
    expect([0, 0.004, 0.256, 1, 1.2].map(probLabel)).toEqual(['0.00', '0.00', '0.26', '1.00', '1.00']);
    expect([0.05, 0.2, 0.4, 0.6, 0.9].map(probBucket)).toEqual([0, 1, 2, 3, 4]);
  });

  it('lists a token first, then the other candidates most likely first', () => {
    expect(candidatesOf(toks, 1).map((c) => `${c.t}@${c.p}`)).toEqual([' rain@0.25', ' snow@0.5', ' wind@0.1']);
    expect(candidatesOf(toks, 0)).toEqual([{ t: 'The', p: 0.9 }]);
  });

  it('the prefix sent when regenerating ends with the chosen token', () => {
    const { prefix, tokens } = regeneratePrefix(toks, 1, { t: ' snow', p: 0.5 });
    expect(prefix).toBe('The snow');
    expect(tokens.map((t) => t.t)).toEqual(['The', ' snow']);
    expect(tokens[1]!.p).toBe(0.5);
  });

  it('regenerating cuts the fragment, streams in place, keeps the old text as an alternative; undo restores it', () => {
    const s0 = createState({ fragments: [{ id: 'f0', text: 'It was late. ' }, frag], selection: 1 });
    const { prefix, tokens } = regeneratePrefix(toks, 1, { t: ' snow', p: 0.5 });
    const s1 = beginRegenerate(s0, 'f1', prefix, tokens);
    expect(s1.fragments[1]!.text).toBe('The snow');
    expect(s1.fragments[1]!.alternatives).toEqual(['The rain fell.']);
    expect(s1.undo).toHaveLength(1);
    const s2 = streamInto(s1, 'f1', prefix, 'The snow had');
    expect(s2.fragments[1]!.text).toBe('The snow had');
    expect(s2.undo).toHaveLength(1);
    expect(s2.revision).toBe(s1.revision + 1);
    const s3 = finishRegenerate(s2, 'f1', prefix, tokens, 'The snow had fallen.', [
      { t: ' had', p: 0.5 },
      { t: ' fallen', p: 0.6 },
      { t: '.', p: 1 },
    ]);
    const f = s3.fragments[1]!;
    expect(f.text).toBe('The snow had fallen.');
    expect(f.tokens!.map((t) => t.t).join('')).toBe(f.text);
    expect(f.alternatives).toEqual(['The rain fell.', 'The snow had fallen.']);
    expect(f.alt).toBe(1);
    // ↑ brings the old version back with its own tokens.
    const back = cycleAlternative(s3, -1).fragments[1]!;
    expect(back.text).toBe('The rain fell.');
    expect(back.tokens).toBe(toks);
    // Undo restores the fragment as it was before Enter.
    expect(undo(s3).fragments[1]).toBe(frag);
  });

  it('a streamed update after undo is ignored', () => {
    const s0 = createState({ fragments: [frag], selection: 0 });
    const s1 = beginRegenerate(s0, 'f1', 'The snow', regeneratePrefix(toks, 1, { t: ' snow', p: 0.5 }).tokens);
    const s2 = undo(s1);
    expect(streamInto(s2, 'f1', 'The snow', 'The snow had')).toBe(s2);
    expect(finishRegenerate(s2, 'f1', 'The snow', [], 'The snow had.', undefined)).toBe(s2);
  });

  it('a continuation without probabilities leaves the fragment without tokens', () => {
    const s0 = createState({ fragments: [frag], selection: 0 });
    const s1 = beginRegenerate(s0, 'f1', 'The snow', regeneratePrefix(toks, 1, { t: ' snow', p: 0.5 }).tokens);
    const s2 = finishRegenerate(s1, 'f1', 'The snow', s1.fragments[0]!.tokens!, 'The snow had.', undefined);
    expect(s2.fragments[0]!.tokens).toBeUndefined();
  });

  it('editing by hand drops the tokens', () => {
    const s = createState({ fragments: [frag], selection: 0 });
    const edited = commitDraft(setDraftText(startEdit(s), 'The rain stopped.'));
    expect(edited.fragments[0]!.edited).toBe(true);
    expect(edited.fragments[0]!.tokens).toBeUndefined();
  });

  it('story notes are saved with a revision; blank notes are none', () => {
    const s = createState();
    const a = setNotes(s, { memory: 'M', authorsNote: '', depth: 3 });
    expect(a.notes).toEqual({ memory: 'M', authorsNote: '', depth: 3 });
    expect(a.revision).toBe(1);
    expect(setNotes(a, { memory: 'M', authorsNote: '', depth: 3 })).toBe(a);
    expect(setNotes(a, { memory: ' ', authorsNote: '', depth: 3 }).notes).toBeUndefined();
  });
});
