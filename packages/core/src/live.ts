import { z } from 'zod';
import { alertSeveritySchema, alertStatusSchema } from './alerts/rules';
import { caseStatusSchema } from './cases/workflow';

/**
 * Live-update events: what the server pushes to open screens over
 * /api/live, and what travels between server instances over PostgreSQL
 * NOTIFY. They name what changed (codes, keys, ids), never the data itself,
 * so a payload stays far under NOTIFY's 8,000-byte limit and a screen
 * re-reads through the ordinary API (and its access scope).
 */
/** How many lead agencies a directive.changed event names before it names none and is marked partial (keeps it under NOTIFY's limit). */
const MAX_DIRECTIVE_AGENCIES = 200;

export const observationsChangedEventSchema = z.object({
  type: z.literal('observations.changed'),
  indicators: z.array(z.string().max(64)).max(100).describe('Codes of the indicators written'),
  places: z.array(z.string().max(32)).max(200).describe('Codes of the places the figures were filed under'),
  periods: z.array(z.string().max(40)).max(100).describe('Period keys written (2025-07, 2025-Q3, an instant …)'),
  partial: z.boolean().optional().describe('A list was too long to send: an empty list then means "any"'),
});

export const caseChangedEventSchema = z.object({
  type: z.literal('case.changed'),
  id: z.string().max(64),
  status: caseStatusSchema,
});

export const alertChangedEventSchema = z.object({
  type: z.literal('alert.changed'),
  id: z.number().int(),
  rule: z.string().max(64),
  status: alertStatusSchema,
  severity: alertSeveritySchema,
});

/** A dashboard or playlist was saved or deleted: open boards and walls re-read it. */
export const dashboardChangedEventSchema = z.object({
  type: z.literal('dashboard.changed'),
  kind: z.enum(['dashboard', 'playlist']),
  code: z.string().max(64),
});

/** Dossiers were saved: the months (YYYY-MM, Vietnam) whose Decision 766 measures they take part in. */
export const dossiersChangedEventSchema = z.object({
  type: z.literal('dossiers.changed'),
  months: z.array(z.string().regex(/^\d{4}-\d{2}$/)).max(600),
});

/**
 * A directive document was saved, or a task of it reported on or decided:
 * the directives screens and panels re-read. It names the document and the
 * lead agencies of the tasks concerned, which decide who is told (a viewer
 * whose scope reaches one of them, everyone when the document is
 * published); never a task's text. More agencies than the cap are sent as
 * an empty list marked `partial`: the document's own then stand for them.
 */
export const directiveChangedEventSchema = z.object({
  type: z.literal('directive.changed'),
  document: z.string().max(100).describe('The document’s number as written on it'),
  agencies: z.array(z.string().max(64)).max(MAX_DIRECTIVE_AGENCIES).describe('Codes of the lead agencies of the tasks concerned'),
  published: z.boolean().describe('The document is (or was, before this change) shown to the public'),
  partial: z.boolean().optional().describe('The agencies were too many to send: all of the document’s concern the change'),
});
export type DirectiveChangedEvent = z.infer<typeof directiveChangedEventSchema>;

/** Sent to a client whose Last-Event-ID can no longer be replayed, or after a gap in fan-out: refresh everything. */
export const resyncEventSchema = z.object({ type: z.literal('resync') });

export const liveEventSchema = z.discriminatedUnion('type', [observationsChangedEventSchema, caseChangedEventSchema, alertChangedEventSchema, resyncEventSchema, dashboardChangedEventSchema, dossiersChangedEventSchema, directiveChangedEventSchema]);

export type LiveEvent = z.infer<typeof liveEventSchema>;
export type ObservationsChangedEvent = z.infer<typeof observationsChangedEventSchema>;
export type LiveEventType = LiveEvent['type'];

export const LIVE_EVENT_TYPES = ['observations.changed', 'case.changed', 'alert.changed', 'resync', 'dashboard.changed', 'dossiers.changed', 'directive.changed'] as const satisfies readonly LiveEventType[];

/**
 * The observations.changed event of a written batch, its lists
 * de-duplicated; a list over the schema's cap is sent empty and marked `partial`: a 5,000-row
 * batch still makes one small event.
 */
export function observationsChanged(facts: Iterable<{ indicator: string; place: string; period: string }>): ObservationsChangedEvent {
  const indicators = new Set<string>();
  const places = new Set<string>();
  const periods = new Set<string>();
  for (const f of facts) {
    indicators.add(f.indicator);
    places.add(f.place);
    periods.add(f.period);
  }
  const capped = (values: Set<string>, cap: number) => (values.size > cap ? null : [...values]);
  const i = capped(indicators, 100);
  const p = capped(places, 200);
  const t = capped(periods, 100);
  const partial = i === null || p === null || t === null;
  return { type: 'observations.changed', indicators: i ?? [], places: p ?? [], periods: t ?? [], ...(partial ? { partial: true } : {}) };
}

/** The directive.changed event of a change to a document's tasks led by `agencies` (de-duplicated; over the cap, none and `partial`). */
export function directiveChanged(document: string, agencies: Iterable<string>, published: boolean): DirectiveChangedEvent {
  const codes = [...new Set(agencies)];
  const partial = codes.length > MAX_DIRECTIVE_AGENCIES;
  return { type: 'directive.changed', document, agencies: partial ? [] : codes, published, ...(partial ? { partial: true } : {}) };
}
