import { describe, expect, it } from 'vitest';
import { hashToken, sameSecret, tokenMatches } from './secrets';

describe('bearer secrets', () => {
  it('keeps a token as its SHA-256 and recognises only that token', () => {
    const token = 'wfp_7mJ1xQk3bN0pR9sT2vW5yZ8cF4hL6nA1dG3jK5mP7qS';
    const hash = hashToken(token);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(token);
    expect(tokenMatches(token, hash)).toBe(true);
    expect(tokenMatches(`${token}x`, hash)).toBe(false);
    expect(tokenMatches(token, 'abc')).toBe(false);
  });

  it('compares secrets of different lengths as different, without throwing', () => {
    expect(sameSecret('open311-key', 'open311-key')).toBe(true);
    expect(sameSecret('open311-key', 'open311-kez')).toBe(false);
    expect(sameSecret('open311-key', 'open311')).toBe(false);
    expect(sameSecret('', '')).toBe(true);
  });
});
