import { AppError } from './errors';

/** Runs `fn` and returns the AppError it throws; fails when it throws nothing or something else. For tests. */
export function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}
