import { z } from 'zod';
import { ALERT_SEVERITIES, type AlertSeverity } from '../alerts/rules';
import { VIETNAM_UTC_OFFSET_MINUTES } from '../dates';
import { ROLES, type Role } from '../access';

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

/**
 * What a message is about: an alert opened or escalated; a case routed or
 * assigned to one's agency; a directive task or a public-service dossier
 * due within 24 hours (then overdue); a data source gone late; a scheduled
 * report archived.
 */
export const MESSAGE_TOPICS = ['alert', 'case_assigned', 'due_soon', 'late_source', 'report_published'] as const;
export const messageTopicSchema = z.enum(MESSAGE_TOPICS).describe('alert | case_assigned | due_soon | late_source | report_published');
export type MessageTopic = z.infer<typeof messageTopicSchema>;

/** The languages a message is written in: Vietnamese by default, English for who asks. */
export const MESSAGE_LANGUAGES = ['vi', 'en'] as const;
export type MessageLanguage = (typeof MESSAGE_LANGUAGES)[number];

export const MESSAGE_STATUSES = ['queued', 'held', 'sent', 'failed'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day HH:MM');

const quietHoursSchema = z
  .object({ from: clock, to: clock })
  .nullable()
  .default(null)
  .describe('Vietnam time; a message that is not critical waits until they end (from 22:00 to 06:00 spans midnight)');
const topicsSchema = z.array(messageTopicSchema).max(MESSAGE_TOPICS.length).describe('The topics told; empty: none');

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
    topics: topicsSchema.default([...MESSAGE_TOPICS]),
    quietHours: quietHoursSchema,
    language: z.enum(MESSAGE_LANGUAGES).default('vi').describe('vi | en: the language messages are written in'),
    followRole: z
      .boolean()
      .default(false)
      .describe('Keep only one’s addresses and language: channels, least severity, topics and quiet hours follow one’s roles’ defaults'),
  })
  .describe('Where and when one person is told');
export type MessagePreferences = z.infer<typeof messagePreferencesSchema>;

/** What an administrator sets for everyone of a role who has not set their own: channels, least severity, topics, quiet hours. */
export const rolePreferencesSchema = z
  .object({
    channels: z.array(messageChannelSchema).max(MESSAGE_CHANNELS.length).describe('The channels messages go by; empty: none'),
    minSeverity: z.enum(ALERT_SEVERITIES).describe('The least severity of an alert that is sent'),
    topics: topicsSchema,
    quietHours: quietHoursSchema,
  })
  .describe('A role’s defaults');
export type RolePreferences = z.infer<typeof rolePreferencesSchema>;

export const rolePreferencesAnswerSchema = z.object({
  role: z.enum(ROLES),
  preferences: rolePreferencesSchema,
  /** False while no administrator has set them: the built-in defaults hold. */
  stored: z.boolean(),
  updatedAt: z.string().nullable(),
});
export type RolePreferencesAnswer = z.infer<typeof rolePreferencesAnswerSchema>;

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

/** The topics each role is told of until an administrator says otherwise: what the role acts on. */
export const ROLE_TOPICS: Readonly<Record<Role, readonly MessageTopic[]>> = {
  operator: ['alert'],
  leader: ['alert', 'report_published'],
  agency_officer: ['case_assigned', 'due_soon', 'late_source'],
  data_steward: ['late_source', 'report_published'],
  appraiser: [],
  leaders_office: ['report_published'],
  administrator: [],
};

/** A role's built-in defaults: by e-mail; operators from warnings up, the others critical alerts only; the role's topics; no quiet hours. */
export function builtInRolePreferences(role: Role): RolePreferences {
  return { channels: ['email'], minSeverity: role === 'operator' ? 'warning' : 'critical', topics: [...ROLE_TOPICS[role]], quietHours: null };
}

/**
 * The defaults of someone holding several roles: any channel and topic one
 * of them has, the least of their least severities, and the quiet hours of
 * the first of them (in the order of ROLES) that keeps some. `of` gives a
 * role's defaults (stored, or built in).
 */
export function mergeRolePreferences(roles: readonly Role[], of: (role: Role) => RolePreferences = builtInRolePreferences): RolePreferences {
  const held = ROLES.filter((r) => roles.includes(r)).map(of);
  if (held.length === 0) return { channels: [], minSeverity: 'critical', topics: [], quietHours: null };
  return {
    channels: MESSAGE_CHANNELS.filter((c) => held.some((p) => p.channels.includes(c))),
    minSeverity: ALERT_SEVERITIES.find((s) => held.some((p) => p.minSeverity === s)) ?? 'critical',
    topics: MESSAGE_TOPICS.filter((t) => held.some((p) => p.topics.includes(t))),
    quietHours: held.find((p) => p.quietHours !== null)?.quietHours ?? null,
  };
}

/** The preferences of someone who has set none: their roles' defaults, no address yet. */
export function defaultPreferences(roles: readonly Role[], of: (role: Role) => RolePreferences = builtInRolePreferences): MessagePreferences {
  return { ...mergeRolePreferences(roles, of), email: null, phone: null, zaloId: null, language: 'vi', followRole: false };
}

/**
 * What holds for a person: what they set; or, when they follow their roles
 * (or have set nothing), their roles' defaults with their own addresses and
 * language.
 */
export function effectivePreferences(own: MessagePreferences | undefined, roles: readonly Role[], of: (role: Role) => RolePreferences = builtInRolePreferences): MessagePreferences {
  if (!own) return defaultPreferences(roles, of);
  if (!own.followRole) return own;
  return { ...own, ...mergeRolePreferences(roles, of) };
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

const SEVERITY_WORDS: Record<MessageLanguage, Record<AlertSeverity, string>> = {
  vi: { info: 'Thông tin', warning: 'Cảnh báo', critical: 'Khẩn cấp' },
  en: { info: 'Information', warning: 'Warning', critical: 'Critical' },
};

/** A message's subject line and its short text (fit for an SMS). */
export interface MessageText {
  subject: string;
  body: string;
}

const text = (subject: string, lines: readonly (string | null)[]): MessageText => ({ subject, body: [subject, ...lines.filter((l): l is string => l !== null && l !== '')].join('\n') });

/** An instant as Vietnam's clock reads it: dd/mm/yyyy HH:MM. */
export function vietnamDateTime(iso: string): string {
  const local = new Date(new Date(iso).getTime() + VIETNAM_UTC_OFFSET_MINUTES * 60_000).toISOString();
  return `${local.slice(8, 10)}/${local.slice(5, 7)}/${local.slice(0, 4)} ${local.slice(11, 16)}`;
}

/** A calendar date (YYYY-MM-DD) written dd/mm/yyyy. */
const dmy = (date: string) => `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;

/** What an alert's message says (Vietnamese unless `lang` says English): a subject line and a short text fit for an SMS. */
export function alertMessage(alert: { id: number; severity: AlertSeverity; message: string; rule: string | null; escalationLevel: number }, event: 'opened' | 'escalated', link: string, lang: MessageLanguage = 'vi'): MessageText {
  const word = SEVERITY_WORDS[lang][alert.severity];
  const escalated = lang === 'en' ? `escalated to level ${alert.escalationLevel}` : `chuyển cấp ${alert.escalationLevel}`;
  const head = event === 'escalated' ? `[${word} – ${escalated}]` : `[${word}]`;
  const subject = `${head} ${lang === 'en' ? 'Alert' : 'Cảnh báo'} #${alert.id}${alert.rule ? ` (${alert.rule})` : ''}`;
  return text(subject, [alert.message, link]);
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
export function directiveTaskMessage(task: { documentNumber: string; key: string; occurrence: string | null; text: string; deadline: string }, stage: TaskMessageStage, link: string, lang: MessageLanguage = 'vi'): MessageText {
  const deadline = dmy(task.deadline);
  if (lang === 'en') {
    const subject = `${stage === 'overdue' ? '[Overdue]' : '[Due soon]'} Task ${task.key} – ${task.documentNumber}${task.occurrence ? ` (${task.occurrence})` : ''}`;
    return text(subject, [task.text, stage === 'overdue' ? `The deadline ${deadline} has passed.` : `Due by the end of ${deadline}.`, link]);
  }
  const subject = `${stage === 'overdue' ? '[Quá hạn]' : '[Sắp đến hạn]'} Nhiệm vụ ${task.key} – ${task.documentNumber}${task.occurrence ? ` (kỳ ${task.occurrence})` : ''}`;
  return text(subject, [task.text, stage === 'overdue' ? `Hạn ${deadline} đã qua.` : `Hạn hết ngày ${deadline}.`, link]);
}

/**
 * What a case's message to its agency says: routed to the agency when it
 * was received, or assigned to it later; with its title, place and
 * deadline (Vietnam time).
 */
export function caseAssignedMessage(c: { publicId: string; title: string; placeName: string | null; deadline: string }, event: 'routed' | 'assigned', link: string, lang: MessageLanguage = 'vi'): MessageText {
  const when = vietnamDateTime(c.deadline);
  if (lang === 'en') {
    const subject = `[${event === 'routed' ? 'New case' : 'Case assigned'}] ${c.publicId}: ${c.title}`;
    return text(subject, [`Your agency is to handle it${c.placeName ? ` (${c.placeName})` : ''}.`, `Deadline: ${when} (Vietnam time).`, link]);
  }
  const subject = `[${event === 'routed' ? 'Phản ánh mới' : 'Giao xử lý'}] ${c.publicId}: ${c.title}`;
  return text(subject, [`Cơ quan của bạn được giao xử lý${c.placeName ? ` (${c.placeName})` : ''}.`, `Hạn xử lý: ${when}.`, link]);
}

/**
 * What a public-service dossier's message to its handling agency says:
 * its deadline falls within 24 hours, or has passed.
 */
export function dossierDueMessage(d: { code: string; procedure: string; deadline: string }, stage: TaskMessageStage, lang: MessageLanguage = 'vi'): MessageText {
  const when = vietnamDateTime(d.deadline);
  if (lang === 'en') {
    const subject = `${stage === 'overdue' ? '[Dossier overdue]' : '[Dossier due soon]'} ${d.code}`;
    return text(subject, [`Procedure: ${d.procedure}.`, stage === 'overdue' ? `Its deadline ${when} (Vietnam time) has passed unresolved.` : `To be resolved by ${when} (Vietnam time).`]);
  }
  const subject = `${stage === 'overdue' ? '[Hồ sơ quá hạn]' : '[Hồ sơ sắp đến hạn]'} ${d.code}`;
  return text(subject, [`Thủ tục: ${d.procedure}.`, stage === 'overdue' ? `Hạn giải quyết ${when} đã qua mà chưa có kết quả.` : `Hạn giải quyết: ${when}.`]);
}

/** What a late data source's message to its owner says: since when it is late and, for a periodic one, the period missing. */
export function lateSourceMessage(s: { code: string; name: string; lateSince: string; missingPeriod: string | null }, link: string, lang: MessageLanguage = 'vi'): MessageText {
  const since = vietnamDateTime(s.lateSince);
  if (lang === 'en') {
    return text(`[Data late] ${s.name} (${s.code})`, [`Late since ${since} (Vietnam time)${s.missingPeriod ? `; period missing: ${s.missingPeriod}` : ''}.`, link]);
  }
  return text(`[Chậm dữ liệu] ${s.name} (${s.code})`, [`Trễ hạn từ ${since}${s.missingPeriod ? `; kỳ còn thiếu: ${s.missingPeriod}` : ''}.`, link]);
}

/** What a scheduled report's message says once it is archived: its title, period and where to download it. */
export function reportPublishedMessage(r: { title: string; periodKey: string; scheduleCode: string }, link: string, lang: MessageLanguage = 'vi'): MessageText {
  if (lang === 'en') return text(`[Report] ${r.title} – ${r.periodKey}`, [`Made on schedule ${r.scheduleCode} and archived. Download: ${link}`]);
  return text(`[Báo cáo] ${r.title} – kỳ ${r.periodKey}`, [`Đã lập theo lịch ${r.scheduleCode} và lưu trữ. Tải về: ${link}`]);
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
