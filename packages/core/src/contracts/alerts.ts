import { z } from 'zod';
import { route } from '../contract';
import { exportQueryShape, withExportDescription } from '../exports';
import {
  alertDetailSchema,
  alertOriginSchema,
  alertRuleCodeSchema,
  alertRuleInputSchema,
  alertRuleSchema,
  alertSchema,
  alertSeveritySchema,
  alertStatusSchema,
  notificationSchema,
  notificationStatusSchema,
  overdueStepSchema,
} from '../alerts/rules';
import { actorSchema, noteSchema } from './cases';

/** Alert rules and alerts: rules, the alerts they raise and their handling, procedures, notifications. */

export const alertIdParams = z.object({ id: z.coerce.number().int().min(1).describe('The alert id') });
export const ruleCodeParams = z.object({ code: alertRuleCodeSchema });
/** Who acts and why, on an alert; the body may be left out. */
export const actorBody = z.object({ actor: actorSchema, note: noteSchema }).default({});

const RULE_SCOPE =
  'A rule stands where its subject is: its place (or its datastream’s station’s), its agency (or its source’s owner). Its webhook addresses (`webhook`, escalation `notify`) are shown only to callers who may manage it (`catalogue.manage` over it); others see null and empty lists.';

const HANDLING = 'An alert outside what the caller may read answers 404 `unknown_alert`; one they may read but not handle (`alerts.handle` over its place or agency), 403 `forbidden`.';

export const rules = route({
  method: 'GET',
  path: '/api/alert-rules',
  tags: ['alerts'],
  summary: 'Alert rules',
  description: `Only the rules within the caller’s scope. ${RULE_SCOPE}`,
  response: z.object({ rules: z.array(alertRuleSchema) }),
});

export const rule = route({
  method: 'GET',
  path: '/api/alert-rules/:code',
  tags: ['alerts'],
  summary: 'One alert rule',
  description: `A rule outside the caller’s scope answers 404 \`unknown_alert_rule\`, as an unknown code does. ${RULE_SCOPE}`,
  params: ruleCodeParams,
  response: alertRuleSchema,
  errors: [400, 404],
});

export const putRule = route({
  method: 'PUT',
  path: '/api/alert-rules/:code',
  tags: ['alerts'],
  summary: 'Create or replace an alert rule',
  description:
    'Kinds: `threshold` (parameters high/low/band: raise at ≥ high, clear below high − band), `rate_of_change` (maxPerHour, direction), `no_data` (periodMinutes, periods) on an indicator at a place or a datastream; ' +
    '`case_deadline` and `dossier_deadline` (windowHours, default 24) per category or agency; `source_freshness` per source. A rule whose parameters or subject do not fit its kind is refused with `invalid_alert_rule` naming every problem. ' +
    `The rule replaced and the rule saved must stand within the scope the caller may manage (\`catalogue.manage\`): else 403 \`forbidden\` (404 \`unknown_alert_rule\` for a rule they cannot read). ${RULE_SCOPE}`,
  params: ruleCodeParams,
  body: alertRuleInputSchema,
  statuses: [200, 201],
  response: alertRuleSchema,
  errors: [400, 403, 404],
});

export const list = route({
  method: 'GET',
  path: '/api/alerts',
  tags: ['alerts'],
  summary: 'Alerts, newest first, filtered',
  description: withExportDescription('Only the alerts within the caller’s scope: their place (or, without one, their agency’s place) and agency.'),
  query: z.object({
    status: alertStatusSchema.optional(),
    severity: alertSeveritySchema.optional(),
    place: z.string().regex(/^\d{2,5}$/).optional().describe('The place code of the alert'),
    rule: alertRuleCodeSchema.optional(),
    agency: z.string().regex(/^[A-Za-z0-9-]{1,40}$/).optional().describe('The responsible agency (deadline and source rules)'),
    origin: alertOriginSchema.optional().describe('rule: raised by our rules; cap: imported from CAP messages of other agencies'),
    public: z.enum(['true']).optional().transform((v) => v === 'true' || undefined).describe('true: only the alerts published in the CAP feed'),
    limit: z.coerce.number().int().min(1).max(500).optional(),
    ...exportQueryShape,
  }),
  response: z.object({ alerts: z.array(alertSchema) }),
  errors: [400],
});

export const detail = route({
  method: 'GET',
  path: '/api/alerts/:id',
  tags: ['alerts'],
  summary: 'One alert with its timeline, procedure steps and notifications',
  params: alertIdParams,
  response: alertDetailSchema,
  errors: [400, 404],
});

export const acknowledge = route({
  method: 'POST',
  path: '/api/alerts/:id/acknowledge',
  tags: ['alerts'],
  summary: 'Acknowledge an open alert (stops its escalation)',
  description: `Only an open alert can be acknowledged; otherwise \`invalid_transition\`. ${HANDLING}`,
  params: alertIdParams,
  body: actorBody,
  response: alertDetailSchema,
  errors: [400, 403, 404, 409],
});

export const resolve = route({
  method: 'POST',
  path: '/api/alerts/:id/resolve',
  tags: ['alerts'],
  summary: 'Resolve an open or acknowledged alert',
  description: `A resolved alert cannot move again (\`invalid_transition\`); if its condition still holds, the rule raises a new one. ${HANDLING}`,
  params: alertIdParams,
  body: actorBody,
  response: alertDetailSchema,
  errors: [400, 403, 404, 409],
});

export const publish = route({
  method: 'POST',
  path: '/api/alerts/:id/publish',
  tags: ['alerts'],
  summary: 'Publish an alert in the public CAP feed',
  description: `The alert is listed in GET /api/cap/alerts.atom while it is in force, as a CAP 1.2 document with Vietnamese and English info blocks. Recorded on the timeline; publishing a public alert changes nothing. ${HANDLING}`,
  params: alertIdParams,
  body: actorBody,
  response: alertDetailSchema,
  errors: [400, 403, 404],
});

export const unpublish = route({
  method: 'POST',
  path: '/api/alerts/:id/unpublish',
  tags: ['alerts'],
  summary: 'Withdraw an alert from the public CAP feed',
  description: `The alert leaves the CAP feed and its document is no longer served. Recorded on the timeline; unpublishing an alert that is not public changes nothing. ${HANDLING}`,
  params: alertIdParams,
  body: actorBody,
  response: alertDetailSchema,
  errors: [400, 403, 404],
});

export const startSop = route({
  method: 'POST',
  path: '/api/alerts/:id/sop',
  tags: ['alerts'],
  summary: "Start the rule's procedure (SOP) on an alert",
  description: `Refused with \`no_sop\` when the rule has none and \`sop_started\` the second time. ${HANDLING}`,
  params: alertIdParams,
  body: z.object({ actor: actorSchema }).default({}),
  response: alertDetailSchema,
  errors: [400, 403, 404, 409],
});

export const stepDone = route({
  method: 'POST',
  path: '/api/alerts/:id/sop-steps/:step/done',
  tags: ['alerts'],
  summary: 'Mark a procedure step of an alert done',
  description: HANDLING,
  params: alertIdParams.extend({ step: z.coerce.number().int().min(1) }),
  body: actorBody,
  response: alertDetailSchema,
  errors: [400, 403, 404, 409],
});

export const overdueSteps = route({
  method: 'GET',
  path: '/api/sop-steps/overdue',
  tags: ['alerts'],
  summary: 'Procedure steps past due, of unresolved alerts and unfinished cases',
  description: "A step is due at the procedure's start (the alert's procedure start, the case's receipt) plus the expected minutes of it and of the steps before it.",
  response: z.object({ steps: z.array(overdueStepSchema) }),
});

export const notifications = route({
  method: 'GET',
  path: '/api/notifications',
  tags: ['alerts'],
  summary: 'Notifications of alerts and their delivery, newest first',
  description:
    '`?status=failed`: the webhooks that could not be delivered after every attempt. A webhook\'s address is shown whole only to callers who may manage its rule (`catalogue.manage`); others see its origin (`https://host/…`).',
  query: z.object({ status: notificationStatusSchema.optional() }),
  response: z.object({ notifications: z.array(notificationSchema) }),
  errors: [400],
});
