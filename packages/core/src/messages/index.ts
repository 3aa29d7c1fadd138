import { z } from 'zod';
import { ALERT_SEVERITIES, type AlertSeverity } from '../alerts/rules';
import { VIETNAM_UTC_OFFSET_MINUTES } from '../dates';
import type { Role } from '../access';

/**
 * Messages that reach people outside the screen: by e-mail, or by an
 * SMS/OTT gateway (Zalo Official Account, an SMS provider). Who receives
 * what follows the person's preferences, or their role's defaults when
 * they have set none; quiet hours (Vietnam time) hold back what is not
 * critical until they end.
 */

export const MESSAGE_CHANNELS = ['email', 'gateway'] as const;
export const messageChannelSchema = z.enum(MESSAGE_CHANNELS).describe('email | gateway (the SMS/OTT gateway: Zalo, SMS)');
export type MessageChannel = z.infer<typeof messageChannelSchema>;

/** What a message is about: alerts that open or escalate now; the rest of the list is where later topics go. */
export const MESSAGE_TOPICS = ['alert', 'case_assigned', 'due_soon', 'late_source', 'report_published'] as const;
export type MessageTopic = (typeof MESSAGE_TOPICS)[number];

export const MESSAGE_STATUSES = ['queued', 'held', 'sent', 'failed'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day HH:MM');

export const messagePreferencesSchema = z
  .object({
    channels: z.array(messageChannelSchema).max(MESSAGE_CHANNELS.length).describe('The channels messages go by; empty: none'),
    email: z.string().trim().email().max(254).nullable().default(null),
    phone: z
      .string()
      .trim()
      .regex(/^\+?\d{9,15}$/, 'must be a phone number of 9 to 15 digits, e.g. 84912345678')
      .nullable()
      .default(null),
    zaloId: z.string().trim().regex(/^\d{1,32}$/, 'must be the Zalo user id the Official Account knows').nullable().default(null),
    minSeverity: z.enum(ALERT_SEVERITIES).describe('The least severity of an alert that is sent'),
    quietHours: z
      .object({ from: clock, to: clock })
      .nullable()
      .default(null)
      .describe('Vietnam time; a message that is not critical waits until they end (from 22:00 to 06:00 spans midnight)'),
  })
  .describe('Where and when one person is told');
export type MessagePreferences = z.infer<typeof messagePreferencesSchema>;

export const messagePreferencesAnswerSchema = z.object({
  preferences: messagePreferencesSchema,
  /** True when the person has not set their own: the role's defaults hold. */
  defaults: z.boolean(),
  /** Whether the person's roles receive alerts at all. */
  receivesAlerts: z.boolean(),
});
export type MessagePreferencesAnswer = z.infer<typeof messagePreferencesAnswerSchema>;

/** The roles told of alerts in their scope: those who watch and those who lead. */
export const ALERT_RECEIVING_ROLES: readonly Role[] = ['operator', 'leader'];

/** A role's defaults: operators by e-mail from warnings up, leaders by e-mail for critical alerts only; nobody is quiet unless they say so. */
export function defaultPreferences(roles: readonly Role[]): MessagePreferences {
  const watches = roles.includes('operator');
  return { channels: ['email'], email: null, phone: null, zaloId: null, minSeverity: watches ? 'warning' : 'critical', quietHours: null };
}

export function severityAtLeast(severity: AlertSeverity, least: AlertSeverity): boolean {
  return ALERT_SEVERITIES.indexOf(severity) >= ALERT_SEVERITIES.indexOf(least);
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * When quiet hours hold a message back: the instant they end (UTC), or null
 * when `at` is outside them. Judged on Vietnam's clock; a span whose end
 * comes before its start runs past midnight. Equal ends: no quiet hours.
 */
export function quietUntil(quiet: { from: string; to: string } | null, at: Date): Date | null {
  if (!quiet) return null;
  const from = minutesOf(quiet.from);
  const to = minutesOf(quiet.to);
  if (from === to) return null;
  const local = new Date(at.getTime() + VIETNAM_UTC_OFFSET_MINUTES * 60_000);
  const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
  const inside = from < to ? minute >= from && minute < to : minute >= from || minute < to;
  if (!inside) return null;
  const ahead = (to - minute + 24 * 60) % (24 * 60);
  const end = new Date(at.getTime() + ahead * 60_000);
  end.setUTCSeconds(0, 0);
  return end;
}

/** Whether a message of this severity waits for quiet hours to end: critical ones never do. */
export function heldBack(severity: AlertSeverity, quiet: { from: string; to: string } | null, at: Date): Date | null {
  return severity === 'critical' ? null : quietUntil(quiet, at);
}

/** The retry of a message that could not be sent: 1, 5, 30 minutes, then 2 hours; after `attempts` tries it is recorded failed. */
export const MESSAGE_RETRY = { attempts: 5, delaysMs: [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000] } as const;

/** When to try again after `attempts` failed tries, or null when the message has had its tries. */
export function nextMessageAttempt(attempts: number, now: Date, retry: { attempts: number; delaysMs: readonly number[] } = MESSAGE_RETRY): Date | null {
  if (attempts >= retry.attempts) return null;
  const delay = retry.delaysMs[Math.min(attempts - 1, retry.delaysMs.length - 1)] ?? 60_000;
  return new Date(now.getTime() + delay);
}

const SEVERITY_VI: Record<AlertSeverity, string> = { info: 'Thông tin', warning: 'Cảnh báo', critical: 'Khẩn cấp' };

/** What an alert's message says, in Vietnamese first: a subject line and a short text fit for an SMS. */
export function alertMessage(alert: { id: number; severity: AlertSeverity; message: string; rule: string | null; escalationLevel: number }, event: 'opened' | 'escalated', link: string): { subject: string; body: string } {
  const head = event === 'escalated' ? `[${SEVERITY_VI[alert.severity]} – chuyển cấp ${alert.escalationLevel}]` : `[${SEVERITY_VI[alert.severity]}]`;
  const subject = `${head} Cảnh báo #${alert.id}${alert.rule ? ` (${alert.rule})` : ''}`;
  const body = `${subject}\n${alert.message}\n${link}`;
  return { subject, body };
}

/**
 * Fills a gateway's body template: `{{to}}`, `{{text}}`, `{{subject}}` and
 * `{{id}}` are replaced by their values written as JSON strings' contents,
 * so a template that is JSON stays JSON whatever the text holds.
 */
export function fillGatewayTemplate(template: string, values: { to: string; text: string; subject: string; id: string }): string {
  return template.replace(/\{\{\s*(to|text|subject|id)\s*\}\}/g, (_, key: keyof typeof values) => JSON.stringify(values[key]).slice(1, -1));
}

/** The stages of a directive task a lead agency's officers are told of: due by the end of today (Vietnam), then overdue. */
export type TaskMessageStage = 'due_soon' | 'overdue';

/**
 * What a directive task's message says: due within 24 hours (its deadline
 * is the end of today in Vietnam) or overdue, with the document, the task
 * and the deadline written as Vietnamese dates (dd/mm/yyyy).
 */
export function directiveTaskMessage(task: { documentNumber: string; key: string; occurrence: string | null; text: string; deadline: string }, stage: TaskMessageStage, link: string): { subject: string; body: string } {
  const [y, m, d] = task.deadline.split('-');
  const deadline = `${d}/${m}/${y}`;
  const head = stage === 'overdue' ? `[Quá hạn] Nhiệm vụ ${task.key} – ${task.documentNumber}` : `[Sắp đến hạn] Nhiệm vụ ${task.key} – ${task.documentNumber}`;
  const subject = `${head}${task.occurrence ? ` (kỳ ${task.occurrence})` : ''}`;
  const when = stage === 'overdue' ? `Hạn ${deadline} đã qua.` : `Hạn hết ngày ${deadline}.`;
  return { subject, body: `${subject}\n${task.text}\n${when}\n${link}` };
}

/** One message sent (or to be sent) to the person reading it, with its delivery state. */
export const ownMessageSchema = z.object({
  id: z.number().int(),
  channel: messageChannelSchema,
  address: z.string().describe('Where it went: the e-mail address, phone number or Zalo id'),
  topic: z.enum(MESSAGE_TOPICS),
  severity: z.enum(ALERT_SEVERITIES),
  subject: z.string(),
  status: z.enum(MESSAGE_STATUSES).describe('queued (to be sent) | held (for quiet hours) | sent | failed (after its tries)'),
  attempts: z.number().int(),
  createdAt: z.string().describe('ISO 8601 instant it was recorded'),
  sentAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable().describe('When it is (tried) next: the end of quiet hours for a held one'),
  lastError: z.string().nullable(),
});
export type OwnMessage = z.infer<typeof ownMessageSchema>;

export const ownMessagesAnswerSchema = z.object({ messages: z.array(ownMessageSchema).describe('The latest first, at most 100') });
export type OwnMessagesAnswer = z.infer<typeof ownMessagesAnswerSchema>;
