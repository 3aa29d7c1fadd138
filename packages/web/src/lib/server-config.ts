import { systemApi } from '@watchfloor/core';
import { call } from './client';

/**
 * What the server serves (its province, the home province over time, demo
 * data), read once from GET /api/config before the app starts: no screen
 * names a place code of its own.
 */
let current: systemApi.ServerConfig | null = null;

export async function loadServerConfig(): Promise<systemApi.ServerConfig> {
  current = await call(systemApi.config, {});
  return current;
}

/** The configuration read at start. */
export function serverConfig(): systemApi.ServerConfig {
  if (!current) throw new Error('The server configuration is read before the app starts (loadServerConfig)');
  return current;
}

/** Sets the configuration without asking the server (unit tests). */
export function setServerConfig(config: systemApi.ServerConfig): void {
  current = config;
}
