import { useEffect, useState } from 'react';
import { toApiError, type ApiError, type Request } from './api';

export interface RequestState<T> {
  /** The answer for the current request; with `keepPrevious`, the last answer while the next one loads. */
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  /** `data` belongs to an earlier request (shown dimmed while the new one loads). */
  stale: boolean;
  retry(): void;
}

interface Settled<T> {
  url: string;
  data?: T;
  error?: ApiError;
}

/** Loads a request when its URL changes, aborting the one before; null loads nothing. */
export function useRequest<T>(req: Request<T> | null, options: { keepPrevious?: boolean } = {}): RequestState<T> {
  const [settled, setSettled] = useState<Settled<T> | null>(null);
  const [attempt, setAttempt] = useState(0);
  const url = req?.url ?? null;

  useEffect(() => {
    if (!req) return;
    const cached = req.peek();
    if (cached !== undefined) {
      setSettled({ url: req.url, data: cached });
      return;
    }
    const ctl = new AbortController();
    req.load(ctl.signal).then(
      (data) => setSettled({ url: req.url, data }),
      (err: unknown) => {
        if (!ctl.signal.aborted) setSettled({ url: req.url, error: toApiError(err) });
      },
    );
    return () => ctl.abort();
    // The request is identified by its URL: a new object for the same URL is the same request.
  }, [url, attempt]);

  const retry = () => setAttempt((n) => n + 1);
  if (!req) return { data: undefined, error: undefined, loading: false, stale: false, retry };
  if (settled?.url === req.url) return { data: settled.data, error: settled.error, loading: false, stale: false, retry };
  const cached = req.peek();
  if (cached !== undefined) return { data: cached, error: undefined, loading: false, stale: false, retry };
  const previous = options.keepPrevious ? settled?.data : undefined;
  return { data: previous, error: undefined, loading: true, stale: previous !== undefined, retry };
}
