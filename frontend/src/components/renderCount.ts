import { FragmentView } from './FragmentView';

/**
 * Test helper: counts renders of each fragment (by id) while `body` runs, by wrapping the
 * memoised FragmentView's inner component; the original is put back afterwards.
 */
export async function countFragmentRenders(body: (renders: Map<string, number>) => Promise<void>): Promise<void> {
  const renders = new Map<string, number>();
  const memo = FragmentView as unknown as { type: (p: { fragment: { id: string } }) => unknown };
  const inner = memo.type;
  memo.type = function Counted(p) {
    renders.set(p.fragment.id, (renders.get(p.fragment.id) ?? 0) + 1);
    return inner(p);
  };
  try {
    await body(renders);
  } finally {
    memo.type = inner;
  }
}
