import { Cron } from 'croner';
import { AppError, isoDurationSchema, pullConfigSchema, type PullConfig } from '@watchfloor/core';
import { checkHttpPullConfig } from '@watchfloor/connectors';

/**
 * What is checked of a source's configuration when it is saved, beyond its
 * schema and without reaching any other machine: its pull (the JSONata of
 * an HTTP pull compiles), its schedule (croner reads it) and the host its
 * credentials belong to. Pulls read the same configuration when they run.
 */

/** Cron expressions of sources are read in Vietnam time. */
export const SCHEDULE_TIMEZONE = 'Asia/Ho_Chi_Minh';

/**
 * The host a stored pull configuration sends its requests (and so its
 * credentials) to: host and port of an HTTP pull's address; null for none
 * (no pull, or a SQL pull, whose host is part of its credentials).
 */
export function pullHost(pull: unknown): string | null {
  const parsed = pullConfigSchema.safeParse(pull);
  if (!parsed.success || parsed.data.kind !== 'http') return null;
  try {
    // Placeholders ({{cursor}}, {{credentials.x}}) may stand in the path or query; the host is read without them.
    return new URL(parsed.data.url.replace(/\{\{[^}]*\}\}/g, '')).host;
  } catch {
    return parsed.data.url;
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

/** Refuses a schedule croner cannot read (`invalid_body`, naming the field), when a source is saved. */
export function checkSchedule(schedule: string | null): void {
  if (schedule === null || isoDurationSchema.safeParse(schedule).success) return;
  try {
    new Cron(schedule, { timezone: SCHEDULE_TIMEZONE, paused: true });
  } catch (e) {
    throw new AppError('invalid_body', `schedule: ${schedule} is not a cron expression (${e instanceof Error ? e.message : String(e)})`);
  }
}
