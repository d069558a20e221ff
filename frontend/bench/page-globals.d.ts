// What the benchmarks put on the page's `window` (code inside page.evaluate and addInitScript runs
// in the browser): the fake Wails bridge and each benchmark's probes, named `__something`.
// Type-checked with the benches by tsconfig.scripts.json.
export {};

declare global {
  interface Window {
    /** The fake Wails bindings (`window.go.main.App.*`). */
    go: { main: { App: Record<string, (...args: never[]) => Promise<unknown>> } };
    /** The fake Wails runtime. */
    runtime: Record<string, (...args: never[]) => unknown>;
    /** A benchmark's probe: each benchmark file documents the shape of its own. */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- probes are plain page-side objects of each bench's own shape
    [probe: `__${string}`]: any;
  }
}
