import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * Watches how late this process's event loop runs (timers included) until `stop()`, which returns
 * the worst delay in ms: what a loaded machine adds to any timeout measured here, so a test can
 * allow exactly that instead of a fixed margin.
 */
export function watchEventLoopLag(): { stop(): number } {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  return {
    stop() {
      histogram.disable();
      return histogram.max / 1e6;
    },
  };
}
