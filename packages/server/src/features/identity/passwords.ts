import { hash, verify } from '@node-rs/argon2';

/**
 * Password hashing: argon2id (the library's default algorithm) with the
 * OWASP Password Storage Cheat Sheet's first configuration — 19 MiB of
 * memory, 2 passes, 1 lane. The PHC string carries its own parameters, so
 * raising them later still verifies old hashes.
 */
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export async function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;

/** A hash to verify against when the account does not exist, so an unknown login takes as long as a wrong password. */
export function dummyHash(): Promise<string> {
  return (dummy ??= hashPassword('no account has this password'));
}
