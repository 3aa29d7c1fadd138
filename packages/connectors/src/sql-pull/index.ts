import { AppError, type Credentials, type SqlPullConfig } from '@watchfloor/core';
import type { PullConnector } from '../pull';

/** A pull from another agency's PostgreSQL or MySQL/MariaDB. */
export function sqlPullConnector(config: SqlPullConfig, credentials: Credentials | null): PullConnector {
  void credentials;
  throw new AppError('invalid_pull_config', `SQL pulls from ${config.engine} are not available yet`);
}
