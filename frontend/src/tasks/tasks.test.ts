// @vitest-environment jsdom
import { afterPaint, installSetImmediate, messagesCrossProcesses, postTask } from './tasks';

/** Resolves after the tasks queued so far (and those they queue at once) ran. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 20));

describe('postTask', () => {
  it('runs callbacks later, in the order posted, each in a task of its own', async () => {
    const ran: string[] = [];
    postTask(() => {
      ran.push('a');
      queueMicrotask(() => ran.push('a microtask'));
    });
    postTask(() => ran.push('b'));
    ran.push('posting task');
    await settle();
    // The microtask queued by a ran before b: b came in a later task.
    expect(ran).toEqual(['posting task', 'a', 'a microtask', 'b']);
  });

  it("leaves other messages to the page's own listeners, and a callback that throws stops none after it", async () => {
    const seen: unknown[] = [];
    const listener = (e: MessageEvent) => seen.push(e.data);
    window.addEventListener('message', listener);
    const errors: unknown[] = [];
    const onError = (e: ErrorEvent) => {
      errors.push(e.error);
      e.preventDefault();
    };
    window.addEventListener('error', onError);
    try {
      const ran: number[] = [];
      postTask(() => {
        throw new Error('boom');
      });
      postTask(() => ran.push(2));
      window.postMessage('hello', '*');
      await settle();
      expect(ran).toEqual([2]);
      expect(seen).toEqual(['hello']);
      expect(errors).toHaveLength(1);
    } finally {
      window.removeEventListener('message', listener);
      window.removeEventListener('error', onError);
    }
  });
});

describe('afterPaint', () => {
  it('calls back in a task posted from the next animation frame', async () => {
    const order: string[] = [];
    const raf = vi.spyOn(window, 'requestAnimationFrame').mockImplementation((cb) => {
      setTimeout(() => {
        order.push('frame');
        cb(performance.now());
        order.push('frame done');
      }, 0);
      return 1;
    });
    try {
      afterPaint(() => order.push('after paint'));
      await settle();
      expect(order).toEqual(['frame', 'frame done', 'after paint']);
    } finally {
      raf.mockRestore();
    }
  });
});

const WEBKITGTK = 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15';
const CHROMIUM = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0';

describe('messagesCrossProcesses', () => {
  it("is WebKit's MessageChannel only", () => {
    expect(messagesCrossProcesses(WEBKITGTK)).toBe(true);
    expect(messagesCrossProcesses(CHROMIUM)).toBe(false);
    expect(messagesCrossProcesses(FIREFOX)).toBe(false);
  });
});

describe('installSetImmediate', () => {
  it('gives a WebKit page without setImmediate one that runs its callback with its arguments in a task', async () => {
    const page: { setImmediate?: unknown } = {};
    installSetImmediate(page, WEBKITGTK);
    const got: unknown[] = [];
    (page.setImmediate as (cb: (...a: unknown[]) => void, ...a: unknown[]) => void)((...a) => got.push(a), 1, 'x');
    expect(got).toEqual([]);
    await settle();
    expect(got).toEqual([[1, 'x']]);
  });

  it("keeps the one the page has, and leaves Chromium and Firefox as they are", () => {
    const own = () => {};
    const page = { setImmediate: own };
    installSetImmediate(page, WEBKITGTK);
    expect(page.setImmediate).toBe(own);
    for (const ua of [CHROMIUM, FIREFOX]) {
      const bare: { setImmediate?: unknown } = {};
      installSetImmediate(bare, ua);
      expect(bare.setImmediate).toBeUndefined();
    }
  });
});
