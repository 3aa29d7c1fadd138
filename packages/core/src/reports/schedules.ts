import { z } from 'zod';
import { grantSchema } from '../access';
import { vietnamDate } from '../dates';
import { EXPORT_MEDIA_TYPES } from '../exports';
import { periodContaining, periodKey, previousPeriod } from '../indicators';
import { reportTemplateCodeSchema } from './templates';

/** The period a scheduled report is about, relative to the instant it runs (in Vietnam time). */
export const SCHEDULE_PERIODS = ['last_month', 'last_quarter'] as const;
export type SchedulePeriod = (typeof SCHEDULE_PERIODS)[number];

export const reportScheduleCodeSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,59}$/, 'lower-case letters, digits and hyphens, 2 to 60 characters')
  .describe('The schedule’s code, in the address of its routes');

/** The tables a schedule may send instead of a report: each is the export of one route, as its screen offers it. */
export const SCHEDULED_EXPORTS = ['cases', 'alerts', 'breakdown', 'scorecards', 'late'] as const;
export type ScheduledExport = (typeof SCHEDULED_EXPORTS)[number];

/** The files a report schedule sends: Word, or the same document printed as PDF. */
export const SCHEDULE_REPORT_FORMATS = ['docx', 'pdf'] as const;
/** The files an export schedule sends: the formats every export offers. */
export const SCHEDULE_EXPORT_FORMATS = ['xlsx', 'csv', 'pdf'] as const;

const scheduleCommon = {
  code: reportScheduleCodeSchema,
  cron: z.string().min(9).max(100).describe('When it runs: a cron expression (minute hour day month weekday) in Vietnam time'),
  period: z.enum(SCHEDULE_PERIODS).describe('The period reported on, relative to the run: last_month or last_quarter'),
  recipients: z.array(z.string().email().max(200)).min(1).max(50).describe('The e-mail addresses the file is sent to'),
  enabled: z.boolean().default(true),
};

/**
 * A report sent on a schedule: a template rendered for the period just ended
 * and e-mailed to a list of people. The cron expression reads in Vietnam time
 * ("0 7 5 * *": the 5th of each month at 07:00). A document without `kind`
 * is a report (schedules were reports only before exports could be sent).
 */
export const reportScheduleReportSchema = z
  .object({
    kind: z.literal('report').default('report'),
    ...scheduleCommon,
    template: reportTemplateCodeSchema.describe('The report template rendered'),
    format: z.enum(SCHEDULE_REPORT_FORMATS).default('docx').describe('The file sent: docx (Word) or pdf'),
  })
  .strict();

/**
 * The export a schedule sends: a table of the API (`table`), with the
 * filters its route takes (`query`, as in the route's address, without
 * `format`, `lang` or `period`, which the schedule sets), and the indicator
 * for a breakdown. The period of the run fills a table's `period`; a list
 * (cases, alerts) is as it stands when the schedule runs.
 */
export const scheduledExportSchema = z
  .object({
    table: z.enum(SCHEDULED_EXPORTS).describe('cases | alerts | breakdown (an indicator by place) | scorecards | late (the late sources and indicators)'),
    indicator: z.string().min(1).max(64).optional().describe('The indicator of a breakdown'),
    query: z.record(z.string().regex(/^[a-z][a-zA-Z]{0,31}$/), z.string().max(200)).default({}).describe('The route’s own filters, e.g. {"status":"open"} or {"place":"86"}'),
  })
  .strict();
export type ScheduledExportSpec = z.infer<typeof scheduledExportSchema>;

export const reportScheduleExportSchema = z
  .object({
    kind: z.literal('export'),
    ...scheduleCommon,
    export: scheduledExportSchema,
    format: z.enum(SCHEDULE_EXPORT_FORMATS).default('xlsx').describe('The file sent: xlsx, csv or pdf'),
    lang: z.enum(['vi', 'en']).default('vi').describe('The language of the headers and notes'),
  })
  .strict();

/** A schedule: a report template (`kind: report`) or an export of a table (`kind: export`), rendered for the period just ended and e-mailed. */
export const reportScheduleSchema = z.discriminatedUnion('kind', [reportScheduleReportSchema, reportScheduleExportSchema]);
export type ReportSchedule = z.infer<typeof reportScheduleSchema>;
export type ReportScheduleInput = z.input<typeof reportScheduleSchema>;

/** Who saved a schedule: it runs with what that person reads (their roles when it runs; a token no person made keeps the roles it had). */
export const scheduleOwnerSchema = z.object({
  login: z.string().nullable().describe('The person who saved it; null: a token no person made'),
  grants: z.array(grantSchema).describe('The roles it was saved with'),
});
export type ScheduleOwner = z.infer<typeof scheduleOwnerSchema>;

/** The media type and extension of each file a schedule sends. */
export const SCHEDULE_FILE_TYPES: Readonly<Record<ReportSchedule['format'], string>> = {
  ...EXPORT_MEDIA_TYPES,
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/** The key of the period a schedule reports on when it runs at `at`: the month or quarter before the one `at` falls in, in Vietnam. */
export function scheduledPeriodKey(period: SchedulePeriod, at: Date): string {
  const today = vietnamDate(at);
  return periodKey(previousPeriod(periodContaining(period === 'last_month' ? 'month' : 'quarter', today)));
}
