import * as React from 'react';

/**
 * Calls `load` now and every `intervalMs` while the tab is visible (a hidden tab asks nothing; showing
 * it again loads at once). One call at a time: a slow answer delays the next, never overlaps it. A new
 * `load` (its inputs changed) starts over.
 */
export function usePollWhileVisible(load: () => Promise<unknown>, intervalMs: number) {
  React.useEffect(() => {
    let timer: number | undefined;
    let running = false;
    let stopped = false;

    const schedule = () => {
      window.clearTimeout(timer);
      if (!stopped && !document.hidden) timer = window.setTimeout(tick, intervalMs);
    };
    const tick = async () => {
      if (running || stopped) return;
      running = true;
      await load();
      running = false;
      schedule();
    };
    const onVisibilityChange = () => (document.hidden ? window.clearTimeout(timer) : void tick());

    void tick();
    document.addEventListener('visibilitychange', onVisibilityChange);
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibilityChange);
    };
  }, [load, intervalMs]);
}
