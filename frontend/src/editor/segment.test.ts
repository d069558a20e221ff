import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitSentences, splitSentencesFallback } from './segment';

const texts = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc
    .array(fc.constantFrom('Hello', 'world', '.', '!', '?', ' ', '  ', '\n', '\n\n', '…', '"', 'Dr.', 'U.S.', '—', 'é', '😀', '\r\n', '\t'), {
      maxLength: 60,
    })
    .map((parts) => parts.join('')),
);

describe.each([
  ['Intl.Segmenter', splitSentences],
  ['fallback', splitSentencesFallback],
])('%s sentence split', (_name, split) => {
  it('joins back to the input byte for byte, with no empty piece', () => {
    fc.assert(
      fc.property(texts, (t) => {
        const parts = split(t);
        expect(parts.join('')).toBe(t);
        expect(parts.every((p) => p.length > 0)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('splits plain prose into sentences that keep their trailing space', () => {
    expect(split('One fish. Two fish? Red fish!')).toEqual(['One fish. ', 'Two fish? ', 'Red fish!']);
    expect(split('')).toEqual([]);
  });

  it('breaks after paragraph newlines', () => {
    const parts = split('Title\n\nFirst. Second.');
    expect(parts.join('')).toBe('Title\n\nFirst. Second.');
    expect(parts[0]).toBe('Title\n\n');
    expect(parts.length).toBe(3);
  });
});

describe('whitespace-only pieces', () => {
  it('join the sentence before them', () => {
    expect(splitSentences('A.\n\n\nB.')).toEqual(['A.\n\n\n', 'B.']);
    expect(splitSentences('  lead')).toEqual(['  lead']);
  });
});
