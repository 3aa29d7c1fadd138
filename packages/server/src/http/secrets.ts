import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Bearer secrets shared by every way in: sessions, API tokens, push tokens
 * and Open311 keys. Each is a random string of at least 256 bits, so only
 * its SHA-256 is kept (a slow password hash would only slow every request),
 * and a presented secret is compared in constant time so the comparison
 * leaks nothing about how much of it was right.
 */

/** The hash stored in place of a bearer token. */
export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** Whether two secrets are the same, compared in constant time (a different length is no match). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Whether a presented token is the one whose hash is stored (compared in constant time). */
export function tokenMatches(presented: string, storedHash: string): boolean {
  return sameSecret(hashToken(presented), storedHash);
}
