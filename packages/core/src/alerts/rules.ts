import { z } from 'zod';
import { sopStepDefinitionSchema, sopStepSchema } from '../cases/schemas';

/**
 * Alert rules and alerts: the schemas shared by the API, the web app and
 * OpenAPI. A rule watches one kind of subject and raises at most one
 * unresolved alert per subject (a place, a datastream, a case, a dossier,
 * a source, a directive task at a stage of its deadline) at a time.
 */
export const ALERT_RULE_KINDS = ['threshold', 'rate_of_change', 'no_data', 'case_deadline', 'dossier_deadline', 'source_freshness', 'task_deadline'] as const;
export const alertRuleKindSchema = z.enum(ALERT_RULE_KINDS);
export type AlertRuleKind = z.infer<typeof alertRuleKindSchema>;

export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;
export const alertSeveritySchema = z.enum(ALERT_SEVERITIES);
export type AlertSeverity = z.infer<typeof alertSeveritySchema>;

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export const alertStatusSchema = z.enum(ALERT_STATUSES);
export type AlertStatus = z.infer<typeof alertStatusSchema>;

export const alertRuleCodeSchema = z.string().regex(/^[A-Z][A-Z0-9_]{0,39}$/, 'must be a rule code: capital letters, digits, underscores');

const code = z.string().min(1).max(64);

/** What a rule watches; which fields apply depends on the kind (checked by `checkRule`). */
export const alertSubjectSchema = z
  .object({
    indicator: code.optional().describe('threshold, rate_of_change, no_data: an indicator code'),
    place: z.string().regex(/^\d{2,5}$/).optional().describe('with `indicator`: a place code'),
    subtree: z.boolean().optional().describe('with `place`: also every place under it (default true)'),
    datastream: code.optional().describe('threshold, rate_of_change, no_data: a sensor datastream code'),
    category: code.optional().describe('case_deadline: one case category (default all)'),
    agency: code.optional().describe('case_deadline, dossier_deadline: one responsible agency; task_deadline: one lead agency (default all)'),
    source: code.optional().describe('source_freshness: one source (default all)'),
  })
  .strict();
export type AlertSubject = z.infer<typeof alertSubjectSchema>;

export const thresholdParametersSchema = z
  .object({
    high: z.number().finite().optional().describe('Raise at value ≥ high'),
    low: z.number().finite().optional().describe('Raise at value ≤ low'),
    band: z.number().finite().min(0).default(0).describe('Hysteresis: clear only below high − band (above low + band)'),
  })
  .strict()
  .refine((p) => p.high !== undefined || p.low !== undefined, 'needs `high`, `low` or both');
export type ThresholdParameters = z.infer<typeof thresholdParametersSchema>;

export const rateParametersSchema = z
  .object({
    maxPerHour: z.number().finite().positive().describe('Raise when consecutive values change faster than this per hour'),
    direction: z.enum(['up', 'down', 'both']).default('both'),
  })
  .strict();
export type RateParameters = z.infer<typeof rateParametersSchema>;

export const noDataParametersSchema = z
  .object({
    periodMinutes: z.number().int().positive().describe('The expected spacing of values'),
    periods: z.number().int().positive().describe('Raise after this many periods without a value'),
  })
  .strict();
export type NoDataParameters = z.infer<typeof noDataParametersSchema>;

export const deadlineParametersSchema = z
  .object({ windowHours: z.number().positive().max(24 * 30).default(24).describe('Warn this long before the deadline') })
  .strict();
export type DeadlineParameters = z.infer<typeof deadlineParametersSchema>;

/**
 * The stages of a directive task's deadline a rule watches, in Vietnam
 * days: due within N days (0: on the day itself), overdue (from 00:00 the
 * day after the deadline), overdue by more than N days. Each stage a task
 * reaches raises its own alert (so each is told and escalated), and the
 * alert of the stage it has left resolves.
 */
export const taskDeadlineParametersSchema = z
  .object({
    dueWithinDays: z.number().int().min(0).max(90).optional().describe('Warn from this many Vietnam days before the deadline (0: on the day)'),
    overdue: z.boolean().default(false).describe('Raise once the deadline has passed (00:00 the next day, Vietnam time)'),
    overdueMoreThanDays: z.number().int().min(1).max(365).optional().describe('Raise again once more than this many days late'),
  })
  .strict()
  .refine((p) => p.dueWithinDays !== undefined || p.overdue || p.overdueMoreThanDays !== undefined, 'needs `dueWithinDays`, `overdue: true` or `overdueMoreThanDays`');
export type TaskDeadlineParameters = z.infer<typeof taskDeadlineParametersSchema>;

export const escalationStepSchema = z
  .object({
    afterMinutes: z.number().int().min(1).describe('Minutes after the alert opened, while nobody has acknowledged it'),
    level: z.number().int().min(1),
    notify: z.array(z.url()).max(10).default([]).describe('Webhooks told at this level'),
  })
  .strict();
export type EscalationStep = z.infer<typeof escalationStepSchema>;

export const alertRuleInputSchema = z
  .object({
    names: z.object({ vi: z.string().min(1).max(200), en: z.string().min(1).max(200) }),
    kind: alertRuleKindSchema,
    subject: alertSubjectSchema,
    parameters: z.record(z.string(), z.unknown()).default({}),
    severity: alertSeveritySchema,
    escalation: z.array(escalationStepSchema).max(10).default([]),
    webhook: z.url().nullable().default(null).describe('Where alerts of this rule are POSTed as JSON'),
    sop: z.array(sopStepDefinitionSchema).max(50).default([]).describe('The procedure started on an alert of this rule'),
    public: z.boolean().default(false).describe('Alerts of this rule are published in the CAP feed from the start (an operator can still unpublish one)'),
    enabled: z.boolean().default(true),
    demo: z.boolean().default(false),
  })
  .strict();
export type AlertRuleInput = z.input<typeof alertRuleInputSchema>;

export const alertRuleSchema = alertRuleInputSchema.extend({ code: alertRuleCodeSchema, updatedAt: z.string() });
export type AlertRule = z.infer<typeof alertRuleSchema>;

export const ALERT_ORIGINS = ['rule', 'cap'] as const;
export const alertOriginSchema = z.enum(ALERT_ORIGINS);
export type AlertOrigin = z.infer<typeof alertOriginSchema>;

/** What `rule` says of an alert imported from CAP (lower case: never a rule code). */
export const CAP_ALERT_RULE = 'cap';

export const alertSchema = z.object({
  id: z.number().int(),
  origin: alertOriginSchema.describe('rule: raised by an alert rule; cap: imported from a CAP message of another agency'),
  rule: z.string().describe('The rule code; `cap` for an alert imported from CAP'),
  kind: alertRuleKindSchema.nullable().describe("The rule's kind; null for an alert imported from CAP"),
  subjectKey: z.string().describe('What the alert is about, e.g. `86|PM25_DAY`, `ds:HT-PM25`, `case:PA000001`, `dossier:000.00.01.H62-261128-0001`, `task:125/TB-UBND#2@2026-03|overdue`'),
  placeCode: z.string().nullable(),
  agency: z.string().nullable().describe('The responsible agency, when the subject has one'),
  severity: alertSeveritySchema,
  status: alertStatusSchema,
  openedAt: z.string(),
  value: z.number().nullable().describe('The value that raised the alert (or the latest while it stays open)'),
  message: z.string(),
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  autoResolved: z.boolean(),
  escalationLevel: z.number().int(),
  public: z.boolean().describe('Published in the CAP feed (GET /api/cap/alerts.atom) while in force'),
  expiresAt: z.string().nullable().describe('When it stops being in force (CAP expires); resolved then'),
});
export type Alert = z.infer<typeof alertSchema>;

export const ALERT_EVENT_KINDS = ['opened', 'value', 'updated', 'acknowledged', 'resolved', 'escalated', 'notified', 'sop_started', 'sop_step', 'published', 'unpublished'] as const;
export const alertEventSchema = z.object({
  at: z.string(),
  actor: z.string(),
  kind: z.enum(ALERT_EVENT_KINDS),
  value: z.number().nullable(),
  note: z.string().nullable(),
});
export type AlertEvent = z.infer<typeof alertEventSchema>;

export const NOTIFICATION_STATUSES = ['pending', 'delivered', 'failed'] as const;
export const notificationStatusSchema = z.enum(NOTIFICATION_STATUSES);
export const notificationSchema = z.object({
  id: z.number().int(),
  alertId: z.number().int(),
  channel: z.enum(['webhook', 'live']),
  target: z.string(),
  payload: z.unknown(),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  status: notificationStatusSchema,
  lastError: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Notification = z.infer<typeof notificationSchema>;

export const alertDetailSchema = alertSchema.extend({ timeline: z.array(alertEventSchema), sopSteps: z.array(sopStepSchema), notifications: z.array(notificationSchema) });
export type AlertDetail = z.infer<typeof alertDetailSchema>;

export const overdueStepSchema = z.object({
  on: z.enum(['case', 'alert']),
  id: z.string().describe('The case id (PA000001) or the alert id'),
  step: z.number().int(),
  title: z.string(),
  role: z.string(),
  dueAt: z.string(),
  overdueMinutes: z.number().int(),
});
export type OverdueStep = z.infer<typeof overdueStepSchema>;

/** Reads a rule's parameters with the schema of its kind; a message naming what is wrong otherwise. */
export function ruleParameters(kind: 'threshold', p: unknown): ThresholdParameters;
export function ruleParameters(kind: 'rate_of_change', p: unknown): RateParameters;
export function ruleParameters(kind: 'no_data', p: unknown): NoDataParameters;
export function ruleParameters(kind: 'case_deadline' | 'dossier_deadline', p: unknown): DeadlineParameters;
export function ruleParameters(kind: 'task_deadline', p: unknown): TaskDeadlineParameters;
export function ruleParameters(kind: AlertRuleKind, p: unknown): unknown;
export function ruleParameters(kind: AlertRuleKind, p: unknown): unknown {
  switch (kind) {
    case 'threshold':
      return thresholdParametersSchema.parse(p);
    case 'rate_of_change':
      return rateParametersSchema.parse(p);
    case 'no_data':
      return noDataParametersSchema.parse(p);
    case 'case_deadline':
    case 'dossier_deadline':
      return deadlineParametersSchema.parse(p);
    case 'task_deadline':
      return taskDeadlineParametersSchema.parse(p);
    case 'source_freshness':
      return z.object({}).strict().parse(p);
  }
}

/**
 * The problems of a rule as a list of messages (empty when it is valid):
 * its parameters against its kind, and which subject fields the kind uses.
 */
export function checkRule(r: { kind: AlertRuleKind; subject: AlertSubject; parameters: unknown; escalation: readonly EscalationStep[] }): string[] {
  const problems: string[] = [];
  try {
    ruleParameters(r.kind, r.parameters);
  } catch (e) {
    const issues = e instanceof z.ZodError ? e.issues.map((i) => `parameters${i.path.length ? `.${i.path.join('.')}` : ''}: ${i.message}`) : [String(e)];
    problems.push(...issues);
  }
  const s = r.subject;
  const allowed: Record<AlertRuleKind, (keyof AlertSubject)[]> = {
    threshold: ['indicator', 'place', 'subtree', 'datastream'],
    rate_of_change: ['indicator', 'place', 'subtree', 'datastream'],
    no_data: ['indicator', 'place', 'datastream'],
    case_deadline: ['category', 'agency'],
    dossier_deadline: ['agency'],
    source_freshness: ['source'],
    task_deadline: ['agency'],
  };
  for (const k of Object.keys(s) as (keyof AlertSubject)[]) {
    if (s[k] !== undefined && !allowed[r.kind].includes(k)) problems.push(`subject.${k}: not used by a ${r.kind} rule`);
  }
  if (r.kind === 'threshold' || r.kind === 'rate_of_change' || r.kind === 'no_data') {
    if ((s.indicator === undefined) === (s.datastream === undefined)) problems.push('subject: needs either `indicator` or `datastream`');
    if (s.datastream !== undefined && s.place !== undefined) problems.push('subject.place: a datastream has its own place');
    if (r.kind === 'no_data' && s.indicator !== undefined && s.place === undefined) problems.push('subject.place: a no_data rule on an indicator needs a place');
  }
  const levels = r.escalation.map((e) => e.afterMinutes);
  if (levels.some((m, i) => i > 0 && m <= (levels[i - 1] ?? 0))) problems.push('escalation: steps must come in increasing afterMinutes');
  return problems;
}
