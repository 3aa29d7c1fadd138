import type { Dashboard } from '@watchfloor/core';
import { useEffect, useRef, useState } from 'react';
import { invalidateFigures } from '../../lib/api';
import { liveConnection, type LiveStatus } from '../../lib/live';
import { useLiveRefresh, useLiveStatus } from '../../lib/use-live';
import { boardLiveScreen } from './panel-model';

/**
 * Keeps a board's figures live: a counter the panels re-read on, moved by a
 * relevant live event and by a reconnect (events may have been missed while
 * the stream was down, and a restarted server cannot replay them), and a
 * callback when a dashboard or playlist is saved so the screen re-reads it.
 */
export function useBoardLive(board: Dashboard | undefined, onSaved: (kind: 'dashboard' | 'playlist', code: string) => void): { generation: number; status: LiveStatus; downSince: Date | null } {
  const [generation, setGeneration] = useState(0);
  const bump = () => setGeneration((g) => g + 1);
  useLiveRefresh(board ? boardLiveScreen(board) : null, bump);

  const status = useLiveStatus();
  const downSince = useDownSince(status);
  const wasDown = useRef(false);
  useEffect(() => {
    if (status === 'down') wasDown.current = true;
    if (status === 'live' && wasDown.current) {
      wasDown.current = false;
      invalidateFigures();
      bump();
    }
  }, [status]);

  const saved = useRef(onSaved);
  saved.current = onSaved;
  useEffect(
    () =>
      liveConnection.subscribe((e) => {
        if (e.type === 'dashboard.changed') saved.current(e.kind, e.code);
      }),
    [],
  );
  return { generation, status, downSince };
}

/** When the live stream went down, for the "not live since" mark; null while live. */
export function useDownSince(status: LiveStatus): Date | null {
  const [since, setSince] = useState<Date | null>(null);
  useEffect(() => {
    if (status === 'down') setSince((s) => s ?? new Date());
    else if (status === 'live') setSince(null);
  }, [status]);
  return since;
}
