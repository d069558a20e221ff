import { describe, expect, it } from 'vitest';
import { isCloseMarker } from './closing';

describe('isCloseMarker', () => {
  it.each([
    ['Chromium and jsdom: F24 by name', { key: 'F24', keyCode: 135 }, true],
    ['WebKitGTK: F24 has no name, only its virtual-key code', { key: 'Unidentified', keyCode: 135 }, true],
    ['another unnamed key', { key: 'Unidentified', keyCode: 0 }, false],
    ['a letter', { key: 'a', keyCode: 65 }, false],
    ["a named key with F24's code is not the marker", { key: 'F23', keyCode: 135 }, false],
  ])('%s', (_name, event, want) => {
    expect(isCloseMarker(event)).toBe(want);
  });
});
