import { LeasesRepository } from '@watchfloor/db';
import type { AppContext } from './context';

/** A loop started by `startLeasedTicker`. */
export interface LeasedTicker {
  /** Stops ticking, waits for a tick under way and gives the lease back, so another instance takes over at once. */
  stop(): Promise<void>;
}

/** Takes (or renews) the lease for `ttlMs` and runs `tick` when this owner holds it; false when another instance does. */
export async function tickUnderLease(ctx: AppContext, lease: string, owner: string, now: Date, ttlMs: number, tick: (now: Date) => Promise<unknown>): Promise<boolean> {
  if (!(await new LeasesRepository(ctx.store.db).acquire(lease, owner, now, ttlMs))) return false;
  await tick(now);
  return true;
}

/**
 * The time-driven loops of the server (alerts, messages, scheduled reports):
 * every `intervalMs`, under the lease `lease`, so of several instances on
 * one database one ticks at a time; a tick still running when the next is
 * due is not overlapped, and a failed one is reported to `onError` and
 * tried again at the next.
 */
export function startLeasedTicker(
  ctx: AppContext,
  options: { lease: string; owner: string; intervalMs: number; ttlMs: number; what: string; now: () => Date; tick: (now: Date) => Promise<unknown>; onError?: ((message: string, error: unknown) => void) | undefined },
): LeasedTicker {
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = tickUnderLease(ctx, options.lease, options.owner, options.now(), options.ttlMs, options.tick)
      .then(() => undefined)
      .catch((e: unknown) => options.onError?.(`${options.what} tick failed`, e))
      .finally(() => {
        running = null;
      });
  }, options.intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
      await new LeasesRepository(ctx.store.db).release(options.lease, options.owner).catch(() => undefined);
    },
  };
}
