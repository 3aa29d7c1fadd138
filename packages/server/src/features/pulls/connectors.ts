import { AppError, type Credentials, type PullConfig } from '@watchfloor/core';
import { httpPullConnector, OutboundGuard, sqlPullConnector, type PullConnector } from '@watchfloor/connectors';
import { storeIdentity, type Store } from '@watchfloor/db';
import type { Config } from '../../config';

/** What every pull connection goes through: the outbound guard of the configured allow list, and Watchfloor's own database to refuse. */
export interface PullOutbound {
  guard: OutboundGuard;
  self: Awaited<ReturnType<typeof storeIdentity>>;
}

/** The outbound guard and own-database identity for the pulls of a server. */
export async function pullOutbound(config: Config, store: Store): Promise<PullOutbound> {
  return { guard: new OutboundGuard(config.outboundAllow), self: await storeIdentity(store) };
}

/** The connector of a pull configuration, with the source's decrypted credentials, connecting only through the outbound guard. */
export function connectorFor(config: PullConfig, credentials: Credentials | null, outbound: PullOutbound): PullConnector {
  switch (config.kind) {
    case 'http':
      return httpPullConnector(config, credentials, outbound.guard);
    case 'sql':
      return sqlPullConnector(config, credentials, { guard: outbound.guard, self: outbound.self });
  }
}

/** The run channel of a pull source kind. */
export function pullChannel(config: PullConfig): 'http_pull' | 'sql_pull' {
  return config.kind === 'http' ? 'http_pull' : 'sql_pull';
}

export const notPullable = (code: string, kind: string): AppError =>
  new AppError('source_not_pullable', `Source ${code} is a ${kind} source: only http_pull and sql_pull sources are pulled`);
