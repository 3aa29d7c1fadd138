import type { ReportScheduleInput, ScheduledExport } from '@watchfloor/core';
import type { I18n } from '../../lib/i18n/i18n';

const WEEKDAYS = ['schedules.weekday.0', 'schedules.weekday.1', 'schedules.weekday.2', 'schedules.weekday.3', 'schedules.weekday.4', 'schedules.weekday.5', 'schedules.weekday.6'] as const;

/** A cron expression said in words when it is one of the common shapes (a day of each month, every day, a weekday); null otherwise. */
export function cronWords(cron: string, t: I18n['t']): string | null {
  const parts = cron.trim().split(/\s+/);
  if (parts.length !== 5) return null;
  const [minute, hour, day, month, weekday] = parts as [string, string, string, string, string];
  if (!/^\d{1,2}$/.test(minute) || !/^\d{1,2}$/.test(hour) || month !== '*') return null;
  const time = `${hour.padStart(2, '0')}:${minute.padStart(2, '0')}`;
  if (/^\d{1,2}$/.test(day) && weekday === '*') return t('schedules.cron.monthly', { day, time });
  if (day === '*' && weekday === '*') return t('schedules.cron.daily', { time });
  if (day === '*' && /^[0-7]$/.test(weekday)) return t('schedules.cron.weekly', { weekday: t(WEEKDAYS[Number(weekday) % 7]!), time });
  return null;
}

/** What the schedule form holds, as text fields. */
export interface ScheduleDraft {
  code: string;
  kind: 'report' | 'export';
  template: string;
  table: ScheduledExport;
  indicator: string;
  /** The export's filters, written as in an address: status=new&place=86 */
  query: string;
  format: string;
  cron: string;
  period: 'last_month' | 'last_quarter';
  recipients: string;
  enabled: boolean;
}

export const EMPTY_DRAFT: ScheduleDraft = {
  code: '',
  kind: 'report',
  template: '',
  table: 'cases',
  indicator: '',
  query: '',
  format: 'docx',
  cron: '0 7 5 * *',
  period: 'last_month',
  recipients: '',
  enabled: true,
};

/** The body the server checks: the draft's text read into a schedule (the server says what is wrong with it). */
export function scheduleBody(d: ScheduleDraft): ReportScheduleInput {
  const recipients = d.recipients
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const common = { code: d.code.trim(), cron: d.cron.trim(), period: d.period, recipients, enabled: d.enabled };
  if (d.kind === 'report') return { kind: 'report', ...common, template: d.template, format: d.format === 'pdf' ? 'pdf' : 'docx' };
  const query = Object.fromEntries(new URLSearchParams(d.query.trim().replace(/^\?/, '')).entries());
  const format = d.format === 'csv' || d.format === 'pdf' ? d.format : 'xlsx';
  return { kind: 'export', ...common, export: { table: d.table, ...(d.indicator.trim() ? { indicator: d.indicator.trim() } : {}), query }, format };
}

/** A saved schedule back into the form. */
export function draftOf(s: ReportScheduleInput): ScheduleDraft {
  const common = { code: s.code, cron: s.cron, period: s.period, recipients: s.recipients.join(', '), enabled: s.enabled ?? true };
  if (s.kind === 'export') {
    return { ...EMPTY_DRAFT, ...common, kind: 'export', table: s.export.table, indicator: s.export.indicator ?? '', query: new URLSearchParams(s.export.query ?? {}).toString(), format: s.format ?? 'xlsx' };
  }
  return { ...EMPTY_DRAFT, ...common, kind: 'report', template: s.template, format: s.format ?? 'docx' };
}
