/** Sentinel for "valid since before our records begin". */
export const OPEN_START = '0001-01-01';
/** Sentinel for "still valid". */
export const OPEN_END = '9999-12-31';

/** Stored valid_from → API value (null when open). */
export function readValidFrom(stored: string): string | null {
  return stored === OPEN_START ? null : stored;
}
/** Stored valid_to → API value (null when open). */
export function readValidTo(stored: string): string | null {
  return stored === OPEN_END ? null : stored;
}
export function writeValidFrom(from: string | null): string {
  return from ?? OPEN_START;
}
export function writeValidTo(to: string | null): string {
  return to ?? OPEN_END;
}
