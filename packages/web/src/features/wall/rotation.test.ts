import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { START, Rotator, advance, nextIndex, progressOf, secondsLeft, step, togglePause, type RotationState } from './rotation';

const D = [10_000, 20_000, 5_000];

describe('the wall rotation', () => {
  it('stays on a dashboard for its time, then moves on, wrapping round', () => {
    let s = advance(START, D, 9_999);
    expect(s).toEqual({ index: 0, elapsedMs: 9_999, paused: false });
    s = advance(s, D, 1);
    expect(s).toEqual({ index: 1, elapsedMs: 0, paused: false });
    s = advance(s, D, 26_000);
    expect(s).toEqual({ index: 0, elapsedMs: 1_000, paused: false });
    expect(nextIndex(s, D.length)).toBe(1);
    expect(nextIndex({ ...s, index: 2 }, D.length)).toBe(0);
  });

  it('does not move while paused, and after a long sleep lands where the cycle would be', () => {
    const paused = togglePause(advance(START, D, 4_000));
    expect(advance(paused, D, 60_000)).toBe(paused);
    expect(togglePause(paused).paused).toBe(false);
    // Ten cycles and 12 s later: 12 s into the cycle is 2 s into the second dashboard.
    expect(advance(START, D, 10 * 35_000 + 12_000)).toEqual({ index: 1, elapsedMs: 2_000, paused: false });
  });

  it('shows progress and the seconds left, and steps by hand', () => {
    const s: RotationState = { index: 1, elapsedMs: 5_000, paused: false };
    expect(progressOf(s, D)).toBe(0.25);
    expect(secondsLeft(s, D)).toBe(15);
    expect(step(s, 1, 3)).toEqual({ index: 2, elapsedMs: 0, paused: false });
    expect(step(START, -1, 3).index).toBe(2);
    expect(advance(START, [], 1000)).toBe(START);
  });
});

describe('the rotation clock', () => {
  beforeEach(() => vi.useFakeTimers({ now: new Date('2026-11-28T03:00:00Z') }));
  afterEach(() => vi.useRealTimers());

  it('reports the next dashboard after its interval, holds while paused, and follows a shorter playlist', () => {
    const seen: number[] = [];
    const r = new Rotator(D, (s) => {
      if (seen[seen.length - 1] !== s.index) seen.push(s.index);
    });
    r.start();
    vi.advanceTimersByTime(9_750);
    expect(r.current.index).toBe(0);
    vi.advanceTimersByTime(500);
    expect(r.current.index).toBe(1);
    r.togglePause();
    vi.advanceTimersByTime(60_000);
    expect(r.current).toMatchObject({ index: 1, paused: true });
    r.togglePause();
    vi.advanceTimersByTime(20_000);
    expect(r.current.index).toBe(2);
    r.step(1);
    expect(r.current).toEqual({ index: 0, elapsedMs: 0, paused: false });
    r.step(2);
    r.setDurations([10_000]);
    expect(r.current.index).toBe(0);
    r.stop();
    vi.advanceTimersByTime(60_000);
    expect(r.current.elapsedMs).toBe(0);
    expect(seen).toEqual([0, 1, 2, 0, 2, 0]);
  });
});
