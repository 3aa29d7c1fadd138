import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError, credentialsSchema, type Credentials } from '@watchfloor/core';
import { hashToken } from '../../http/secrets';

/**
 * Secrets of sources. Credentials (for pulls) are encrypted with AES-256-GCM
 * under the configured key, so a copy of the database alone reveals nothing;
 * the authentication tag refuses a tampered value. Push tokens are random
 * 256-bit strings shown once, kept hashed like every other bearer secret
 * (http/secrets.ts).
 */
const VERSION = 'v1';

/** Encrypts credentials; refuses with `secret_key_not_configured` when no key is set. */
export function encryptCredentials(key: Buffer | undefined, credentials: Credentials): string {
  if (!key) throw new AppError('secret_key_not_configured', 'Credentials cannot be stored: set WATCHFLOOR_SECRET_KEY (32 random bytes, e.g. openssl rand -base64 32)');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(credentials), 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

/** Decrypts credentials stored by encryptCredentials; throws when the key is missing or wrong, or the value was altered. */
export function decryptCredentials(key: Buffer | undefined, stored: string): Credentials {
  if (!key) throw new AppError('secret_key_not_configured', 'Credentials cannot be read: WATCHFLOOR_SECRET_KEY is not set');
  const [version, iv, tag, body] = stored.split('.');
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('stored credentials are not in a known format');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  return credentialsSchema.parse(JSON.parse(text));
}

/** A new push token and the hash to store. */
export function newPushToken(): { token: string; hash: string } {
  const token = `wfp_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token) };
}
