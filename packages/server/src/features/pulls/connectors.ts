import { AppError, type Credentials, type PullConfig } from '@watchfloor/core';
import { checkHttpPullConfig, httpPullConnector, sqlPullConnector, type PullConnector } from '@watchfloor/connectors';

/** The connector of a pull configuration, with the source's decrypted credentials. */
export function connectorFor(config: PullConfig, credentials: Credentials | null): PullConnector {
  switch (config.kind) {
    case 'http':
      return httpPullConnector(config, credentials);
    case 'sql':
      return sqlPullConnector(config, credentials);
  }
}

/**
 * What can be checked of a pull configuration when the source is saved,
 * beyond its schema, without reaching the peer: the JSONata expressions of
 * an HTTP pull compile (`invalid_pull_config` names the one that does not).
 */
export function checkPullConfig(config: PullConfig): void {
  if (config.kind === 'http') checkHttpPullConfig(config);
}

/** The run channel of a pull source kind. */
export function pullChannel(config: PullConfig): 'http_pull' | 'sql_pull' {
  return config.kind === 'http' ? 'http_pull' : 'sql_pull';
}

export const notPullable = (code: string, kind: string): AppError =>
  new AppError('source_not_pullable', `Source ${code} is a ${kind} source: only http_pull and sql_pull sources are pulled`);
