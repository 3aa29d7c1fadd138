import type { Clock } from '@watchfloor/core';
import type { Store } from '@watchfloor/db';
import type { Config } from './config';

/** What every feature's service is given: the store, the clock, the configuration. */
export interface AppContext {
  store: Store;
  clock: Clock;
  config: Config;
}
