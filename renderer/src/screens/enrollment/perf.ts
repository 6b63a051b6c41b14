// UI response times for the benchmark (bench/suites/enrollment-e2e.ts reads them with the Performance API):
// `enrollment:<action>` measures run from the clerk's action to the first paint after its result was rendered;
// `enrollment:<action>.feedback` to the first paint showing that the action was taken (busy indicator).
export function measureFrom(name: string, start: number): void {
  if (typeof performance === 'undefined' || typeof performance.measure !== 'function') return;
  const done = () => {
    try {
      performance.measure(`enrollment:${name}`, { start, end: performance.now() });
    } catch {
      // measure() with options is unsupported in very old engines; the timing is then simply not recorded.
    }
  };
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(done, 0));
  else setTimeout(done, 0);
}
