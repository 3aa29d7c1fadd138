import { useEffect, useRef, useSyncExternalStore } from 'react';
import { invalidateFigures } from './api';
import { concernsScreen, liveConnection, type LiveScreen, type LiveStatus } from './live';

/** How long to gather events before re-reading: a burst of batches makes one refresh. */
export const LIVE_DEBOUNCE_MS = 300;

/**
 * Re-reads the screen's figures when a live event concerns it: forgets the
 * cached figures and calls `refresh` (the requests' retry), debounced.
 */
export function useLiveRefresh(screen: LiveScreen | null, refresh: () => void): void {
  const latest = useRef({ screen, refresh });
  latest.current = { screen, refresh };
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = liveConnection.subscribe((event) => {
      const s = latest.current.screen;
      if (!s || !concernsScreen(event, s)) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        invalidateFigures();
        latest.current.refresh();
      }, LIVE_DEBOUNCE_MS);
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, []);
}

/** The state of the live connection, for the "not live" mark. */
export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(
    (onChange) => liveConnection.onStatus(onChange),
    () => liveConnection.status,
    () => 'connecting',
  );
}
