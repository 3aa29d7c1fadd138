import { z } from 'zod';
import { vietnamDate } from '../dates';
import { periodContaining, periodKey, previousPeriod } from '../indicators';
import { reportTemplateCodeSchema } from './templates';

/** The period a scheduled report is about, relative to the instant it runs (in Vietnam time). */
export const SCHEDULE_PERIODS = ['last_month', 'last_quarter'] as const;
export type SchedulePeriod = (typeof SCHEDULE_PERIODS)[number];

export const reportScheduleCodeSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,59}$/, 'lower-case letters, digits and hyphens, 2 to 60 characters')
  .describe('The schedule’s code, in the address of its routes');

/**
 * A report sent on a schedule: a template rendered for the period just ended
 * and e-mailed to a list of people. The cron expression reads in Vietnam time
 * ("0 7 5 * *": the 5th of each month at 07:00).
 */
export const reportScheduleSchema = z
  .object({
    code: reportScheduleCodeSchema,
    template: reportTemplateCodeSchema.describe('The report template rendered'),
    cron: z.string().min(9).max(100).describe('When it runs: a cron expression (minute hour day month weekday) in Vietnam time'),
    period: z.enum(SCHEDULE_PERIODS).describe('The period reported on, relative to the run: last_month or last_quarter'),
    format: z.enum(['docx']).default('docx').describe('The file sent: docx (Word)'),
    recipients: z.array(z.string().email().max(200)).min(1).max(50).describe('The e-mail addresses the report is sent to'),
    enabled: z.boolean().default(true),
  })
  .strict();
export type ReportSchedule = z.infer<typeof reportScheduleSchema>;

/** The key of the period a schedule reports on when it runs at `at`: the month or quarter before the one `at` falls in, in Vietnam. */
export function scheduledPeriodKey(period: SchedulePeriod, at: Date): string {
  const today = vietnamDate(at);
  return periodKey(previousPeriod(periodContaining(period === 'last_month' ? 'month' : 'quarter', today)));
}
