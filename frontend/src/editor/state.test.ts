import { describe, expect, it } from 'vitest';
import { createState } from './state';

const withIds = (...ids: string[]) => createState({ fragments: ids.map((id) => ({ id, text: 'x' })) });

describe('createState', () => {
  it.each([
    [[], 1],
    [['f1', 'f2', 'f3'], 4],
    [['f9', 'f10', 'f2'], 11],
    [['f007'], 8],
    [['f', 'fx1', 'f12a', 'g5', 'F3', 'f-1', ' f4'], 1],
    [['f5', 'other', 'f12'], 13],
  ])('ids %j: the next new fragment gets f%i', (ids, next) => {
    expect(withIds(...ids).nextId).toBe(next);
  });
});
