import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { AppError } from '@watchfloor/core';
import { decryptCredentials, encryptCredentials, newPushToken } from './secrets';
import { hashToken, tokenMatches } from '../../http/secrets';

describe('secrets of sources', () => {
  const key = randomBytes(32);

  it('encrypts credentials so that only the key reads them back, and refuses a tampered value', () => {
    const stored = encryptCredentials(key, { username: 'ioc', password: 'mật khẩu' });
    expect(stored).not.toContain('ioc');
    expect(encryptCredentials(key, { username: 'ioc', password: 'mật khẩu' })).not.toBe(stored); // a fresh IV each time
    expect(decryptCredentials(key, stored)).toEqual({ username: 'ioc', password: 'mật khẩu' });
    expect(() => decryptCredentials(randomBytes(32), stored)).toThrow();
    const parts = stored.split('.');
    parts[3] = Buffer.from('{"username":"x"}').toString('base64url');
    expect(() => decryptCredentials(key, parts.join('.'))).toThrow();
  });

  it('refuses to store credentials without a configured key', () => {
    let e: unknown;
    try {
      encryptCredentials(undefined, { password: 'x' });
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(AppError);
    expect(e).toMatchObject({ code: 'secret_key_not_configured', status: 503 });
  });

  it('keeps only the hash of a push token and recognises the token', () => {
    const { token, hash } = newPushToken();
    expect(hash).toBe(hashToken(token));
    expect(hash).not.toContain(token);
    expect(tokenMatches(token, hash)).toBe(true);
    expect(tokenMatches(`${token}x`, hash)).toBe(false);
    expect(tokenMatches(token, 'abc')).toBe(false);
  });
});
