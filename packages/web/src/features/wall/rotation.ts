/**
 * The wall's rotation through a playlist: which dashboard is on, how far
 * through its time, paused or not. Pure state and steps, plus a small clock
 * that drives them (tested with fake timers), so the screen only renders.
 */
export interface RotationState {
  index: number;
  /** Time spent on the current dashboard, ms. */
  elapsedMs: number;
  paused: boolean;
}

export const START: RotationState = { index: 0, elapsedMs: 0, paused: false };

/** Moves time on by `dtMs`: past the current item's duration, to the next (wrapping), carrying the rest over. */
export function advance(state: RotationState, durationsMs: readonly number[], dtMs: number): RotationState {
  if (state.paused || durationsMs.length === 0 || dtMs <= 0) return state;
  let { index, elapsedMs } = state;
  index = index % durationsMs.length;
  elapsedMs += dtMs;
  // A long gap (a sleeping tab) must not spin through the list item by item forever.
  const cycle = durationsMs.reduce((a, b) => a + b, 0);
  if (cycle > 0 && elapsedMs > cycle) elapsedMs %= cycle;
  for (;;) {
    const d = durationsMs[index] ?? 0;
    if (elapsedMs < d) break;
    elapsedMs -= d;
    index = (index + 1) % durationsMs.length;
  }
  return { index, elapsedMs, paused: false };
}

export function togglePause(state: RotationState): RotationState {
  return { ...state, paused: !state.paused };
}

/** Steps to the next (+1) or previous (−1) dashboard, starting its time afresh. */
export function step(state: RotationState, by: number, count: number): RotationState {
  if (count === 0) return state;
  return { ...state, index: (((state.index + by) % count) + count) % count, elapsedMs: 0 };
}

/** How far through the current dashboard's time, 0..1. */
export function progressOf(state: RotationState, durationsMs: readonly number[]): number {
  const d = durationsMs[state.index] ?? 0;
  return d > 0 ? Math.min(1, state.elapsedMs / d) : 0;
}

/** Whole seconds until the next dashboard. */
export function secondsLeft(state: RotationState, durationsMs: readonly number[]): number {
  return Math.max(0, Math.ceil(((durationsMs[state.index] ?? 0) - state.elapsedMs) / 1000));
}

export function nextIndex(state: RotationState, count: number): number {
  return count === 0 ? 0 : (state.index + 1) % count;
}

/**
 * A clock over the state: ticks every `tickMs`, measuring the time really
 * passed (timers drift and stall in background tabs), and reports each new state.
 */
export class Rotator {
  private state: RotationState = START;
  private timer: ReturnType<typeof setInterval> | null = null;
  private last = 0;

  constructor(
    private durationsMs: readonly number[],
    private readonly onChange: (s: RotationState) => void,
    private readonly tickMs = 250,
  ) {}

  get current(): RotationState {
    return this.state;
  }

  start(): void {
    if (this.timer) return;
    this.last = Date.now();
    this.timer = setInterval(() => {
      const now = Date.now();
      const dt = now - this.last;
      this.last = now;
      this.set(advance(this.state, this.durationsMs, dt));
    }, this.tickMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** A changed playlist: keeps the dashboard on screen when it is still in the list. */
  setDurations(durationsMs: readonly number[]): void {
    this.durationsMs = durationsMs;
    if (this.state.index >= durationsMs.length) this.set({ ...this.state, index: 0, elapsedMs: 0 });
  }

  togglePause(): void {
    this.last = Date.now();
    this.set(togglePause(this.state));
  }

  step(by: number): void {
    this.set(step(this.state, by, this.durationsMs.length));
  }

  private set(next: RotationState): void {
    if (next === this.state) return;
    this.state = next;
    this.onChange(next);
  }
}
