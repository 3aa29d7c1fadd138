import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { ConfigError, loadConfig } from './config';

describe('configuration', () => {
  it('defaults to the embedded database under ./var on port 8080', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 8080, databaseUrl: undefined, dataDir: resolve('var'), sqlitePath: resolve('var/watchfloor.sqlite'), demoData: true });
  });

  it('builds links on WATCHFLOOR_PUBLIC_URL, else on the configured host and port', () => {
    expect(loadConfig({}).publicUrl).toBe('http://localhost:8080');
    expect(loadConfig({ WATCHFLOOR_HOST: '10.0.0.5', WATCHFLOOR_PORT: '9000' }).publicUrl).toBe('http://10.0.0.5:9000');
    expect(loadConfig({ WATCHFLOOR_PUBLIC_URL: 'https://ioc.vinhlong.gov.vn/' }).publicUrl).toBe('https://ioc.vinhlong.gov.vn');
    expect(() => loadConfig({ WATCHFLOOR_PUBLIC_URL: 'ioc.example.vn' })).toThrow(/WATCHFLOOR_PUBLIC_URL="ioc.example.vn": must be the absolute http\(s\) URL/);
    expect(() => loadConfig({ WATCHFLOOR_PUBLIC_URL: 'https://ioc.example.vn/?x=1' })).toThrow(ConfigError);
  });

  it('takes flags over the environment', () => {
    expect(loadConfig({ WATCHFLOOR_PORT: '9000' }, { WATCHFLOOR_PORT: '9100' }).port).toBe(9100);
  });

  it('refuses bad values, naming each variable', () => {
    let err: unknown;
    try {
      loadConfig({ WATCHFLOOR_PORT: 'eighty', DATABASE_URL: 'mysql://x', WATCHFLOOR_LOG_LEVEL: 'loud' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as ConfigError).message;
    expect(msg).toContain('WATCHFLOOR_PORT="eighty"');
    expect(msg).toContain('DATABASE_URL="mysql://x": must be a postgres://');
    expect(msg).toContain('WATCHFLOOR_LOG_LEVEL="loud"');
  });

  it('reads the secret key as hex or base64, and never echoes a bad one', () => {
    const hex = 'ab'.repeat(32);
    expect(loadConfig({ WATCHFLOOR_SECRET_KEY: hex }).secretKey?.toString('hex')).toBe(hex);
    expect(loadConfig({ WATCHFLOOR_SECRET_KEY: Buffer.from(hex, 'hex').toString('base64') }).secretKey?.toString('hex')).toBe(hex);
    expect(loadConfig({}).secretKey).toBeUndefined();
    expect(loadConfig({}).pushLimitBytes).toBe(200 * 1024 * 1024);
    expect(() => loadConfig({ WATCHFLOOR_SECRET_KEY: 'hunter2-not-a-key' })).toThrow(/WATCHFLOOR_SECRET_KEY=\(hidden\): must be 32 random bytes/);
    expect(() => loadConfig({ WATCHFLOOR_SECRET_KEY: 'hunter2-not-a-key' })).not.toThrow(/hunter2/);
  });

  it('reads whom to trust for forwarded addresses and the cookies’ Secure flag', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ WATCHFLOOR_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ WATCHFLOOR_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ WATCHFLOOR_TRUST_PROXY: '10.0.0.0/8,127.0.0.1' }).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(() => loadConfig({ WATCHFLOOR_TRUST_PROXY: 'everyone please' })).toThrow(/WATCHFLOOR_TRUST_PROXY/);
    expect(loadConfig({}).secureCookies).toBe('auto');
    expect(loadConfig({ WATCHFLOOR_COOKIE_SECURE: 'false' }).secureCookies).toBe(false);
    expect(() => loadConfig({ WATCHFLOOR_COOKIE_SECURE: 'yes' })).toThrow(/WATCHFLOOR_COOKIE_SECURE/);
  });
});
