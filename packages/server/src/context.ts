import type { Clock } from '@watchfloor/core';
import type { Store } from '@watchfloor/db';
import type { Config } from './config';
import type { LiveHub } from './live/hub';
import type { AlertStream } from './features/alerts/stream';
import type { DirectiveFigures } from './features/directives/figures';

/** What every feature's service is given: the store, the clock, the configuration. */
export interface AppContext {
  store: Store;
  clock: Clock;
  config: Config;
  /** The live-update hub; buildApp supplies an in-process one when absent (the CLI passes one joined to other instances on PostgreSQL). */
  live?: LiveHub;
  /** Alert rules on the sensor stream, told each committed batch of readings; buildApp supplies one (pass it on to the MQTT channel). */
  alertStream?: AlertStream;
  /** The DIR_* figures, recomputed after directive changes and by the alarm loop's clock once a day; buildApp supplies them. */
  directiveFigures?: DirectiveFigures;
}
