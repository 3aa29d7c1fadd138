import { z } from 'zod';
import { indicatorCodeSchema, localisedSchema } from './indicators';
import type { IsoDate } from './dates';
import { parsePeriod, periodContaining, periodEnd, periodKey, periodKeySchema, previousPeriod, type Period } from './indicators/periods';
import { parUnitKindSchema } from './par/framework';

/**
 * Dashboards as data. A dashboard is a document a data steward composes in
 * the editor (no code): panels on a 12-column grid, each bound to
 * indicators, a place (a code, or the place being viewed) and a period (a
 * kind relative to the date viewed, or a fixed key). Playlists rotate saved
 * dashboards on the video wall. Both are stored, exported and imported whole.
 */
export const DASHBOARD_VERSION = 1;
export const GRID_COLUMNS = 12;
export const MAX_GRID_ROWS = 48;
export const MAX_PANELS = 24;
export const MAX_TILES = 12;

/** Dashboard and playlist codes: they are the last part of a URL (/d/:code, /wall/:code). */
export const boardCodeSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and hyphens, starting with a letter or digit')
  .describe('Code of a dashboard or playlist, e.g. dieu-hanh-tinh');

/** The place a panel shows: a place code, or `viewed` (the place in the URL, else the home province). */
export const panelPlaceSchema = z.union([z.literal('viewed'), z.string().regex(/^\d{2,5}$/, 'must be a place code (2 to 5 digits) or "viewed"')]);

/** The periods a panel can follow: the latest ended one of a kind as of the date viewed. */
export const RELATIVE_PERIOD_KINDS = ['month', 'quarter', 'ytd', 'year'] as const;
export const panelPeriodSchema = z.union([
  z.object({ kind: z.enum(RELATIVE_PERIOD_KINDS).describe('The latest ended period of this kind as of the date viewed') }).strict(),
  z.object({ key: periodKeySchema.describe('A fixed period') }).strict(),
]);
export type PanelPeriod = z.infer<typeof panelPeriodSchema>;

export const panelLayoutSchema = z
  .object({
    x: z.number().int().min(0).max(GRID_COLUMNS - 1),
    y: z.number().int().min(0).max(MAX_GRID_ROWS - 1),
    w: z.number().int().min(1).max(GRID_COLUMNS),
    h: z.number().int().min(1).max(12),
  })
  .strict()
  .refine((l) => l.x + l.w <= GRID_COLUMNS, { message: `the panel must end within the ${GRID_COLUMNS} columns (x + w ≤ ${GRID_COLUMNS})`, path: ['w'] });
export type PanelLayout = z.infer<typeof panelLayoutSchema>;

const panelBase = {
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'must be a short lowercase id (letters, digits, hyphens)'),
  title: localisedSchema.optional().describe('A heading; without one the indicator names are shown'),
  place: panelPlaceSchema.default('viewed'),
  period: panelPeriodSchema.default({ kind: 'month' }),
  layout: panelLayoutSchema,
};

/**
 * Panel kinds: `tiles`, `chart`, `map` and `ranking` show indicators;
 * `feed` the latest cases or alerts; `par` the PAR Index ranking of the
 * latest cycle the viewer may see (departments or communes, by index, with
 * their bands); `directives` the leadership directive tasks overdue now
 * that the viewer may read (agency, task, days late), most late first.
 */
export const PANEL_KINDS = ['tiles', 'chart', 'map', 'ranking', 'feed', 'par', 'directives'] as const;
export type PanelKind = (typeof PANEL_KINDS)[number];

export const panelSchema = z.discriminatedUnion('kind', [
  z.object({ ...panelBase, kind: z.literal('tiles'), indicators: z.array(indicatorCodeSchema).min(1).max(MAX_TILES) }).strict(),
  z.object({ ...panelBase, kind: z.literal('chart'), indicator: indicatorCodeSchema }).strict(),
  z.object({ ...panelBase, kind: z.literal('map'), indicator: indicatorCodeSchema }).strict(),
  z.object({ ...panelBase, kind: z.literal('ranking'), indicator: indicatorCodeSchema, limit: z.number().int().min(3).max(200).default(10) }).strict(),
  z.object({ ...panelBase, kind: z.literal('feed'), source: z.enum(['cases', 'alerts']), limit: z.number().int().min(1).max(50).default(8) }).strict(),
  z
    .object({
      ...panelBase,
      kind: z.literal('par'),
      unitKind: parUnitKindSchema.default('department').describe('The kind of unit ranked: departments (the default) or communes'),
      limit: z.number().int().min(3).max(200).default(20),
    })
    .strict(),
  z.object({ ...panelBase, kind: z.literal('directives'), limit: z.number().int().min(1).max(50).default(8).describe('How many of the most late tasks are listed') }).strict(),
]);
export type Panel = z.infer<typeof panelSchema>;
export type PanelInput = z.input<typeof panelSchema>;

export const dashboardSchema = z
  .object({
    version: z.literal(DASHBOARD_VERSION),
    code: boardCodeSchema,
    title: localisedSchema,
    description: localisedSchema.optional(),
    demo: z.boolean().default(false).describe('Part of the demo data set'),
    published: z.boolean().optional().describe('Shown to the public without signing in (its panels show only published indicators); absent: not published'),
    panels: z.array(panelSchema).max(MAX_PANELS),
  })
  .strict()
  .superRefine((d, ctx) => {
    const seen = new Set<string>();
    d.panels.forEach((p, i) => {
      if (seen.has(p.id)) ctx.addIssue({ code: 'custom', path: ['panels', i, 'id'], message: `panel id ${p.id} is used twice` });
      seen.add(p.id);
    });
  })
  .describe('A dashboard: panels on a 12-column grid');
export type Dashboard = z.infer<typeof dashboardSchema>;
export type DashboardInput = z.input<typeof dashboardSchema>;

export const dashboardSummarySchema = z.object({
  code: boardCodeSchema,
  title: localisedSchema,
  panels: z.number().int(),
  demo: z.boolean(),
  published: z.boolean().optional().describe('Shown to the public without signing in'),
  updatedAt: z.string(),
});
export type DashboardSummary = z.infer<typeof dashboardSummarySchema>;

export const DASHBOARD_FILE_FORMAT = 'watchfloor-dashboard';

/** An exported dashboard: importing it elsewhere reproduces the board (its indicators must exist there). */
export const dashboardFileSchema = z.object({
  format: z.literal(DASHBOARD_FILE_FORMAT),
  version: z.literal(DASHBOARD_VERSION),
  exportedAt: z.string(),
  dashboard: dashboardSchema,
});
export type DashboardFile = z.infer<typeof dashboardFileSchema>;

export const MIN_WALL_SECONDS = 5;

export const playlistSchema = z
  .object({
    code: boardCodeSchema,
    title: localisedSchema,
    demo: z.boolean().default(false),
    items: z
      .array(z.object({ dashboard: boardCodeSchema, seconds: z.number().int().min(MIN_WALL_SECONDS).max(3600).describe('How long the dashboard stays on the wall') }).strict())
      .min(1)
      .max(50),
  })
  .strict()
  .describe('A playlist of the video wall: dashboards shown in turn');
export type Playlist = z.infer<typeof playlistSchema>;
export type PlaylistInput = z.input<typeof playlistSchema>;

export const playlistSummarySchema = z.object({ code: boardCodeSchema, title: localisedSchema, dashboards: z.number().int(), demo: z.boolean(), updatedAt: z.string() });
export type PlaylistSummary = z.infer<typeof playlistSummarySchema>;

/** One problem in a dashboard or playlist, as `details` of `invalid_dashboard` / `invalid_playlist` list them. */
export const boardIssueSchema = z.object({
  path: z.string().describe('Where in the document, dot-separated (panels.2.indicators.0); empty for the whole'),
  panel: z.string().nullable().describe('The id of the panel concerned, when there is one'),
  reason: z.string().describe('Coded reason: invalid_type, too_small, unknown_indicator, unknown_dashboard, …'),
  message: z.string(),
});
export type BoardIssue = z.infer<typeof boardIssueSchema>;

function panelIdAt(raw: unknown, path: readonly PropertyKey[]): string | null {
  if (path[0] !== 'panels' || typeof path[1] !== 'number' || typeof raw !== 'object' || raw === null) return null;
  const panels = (raw as { panels?: unknown }).panels;
  const panel = Array.isArray(panels) ? (panels[path[1]] as unknown) : undefined;
  const id = typeof panel === 'object' && panel !== null ? (panel as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id : `#${path[1] + 1}`;
}

/** Reads a document, every problem with its path (and panel) rather than a bare refusal. */
export function parseBoard<T>(schema: z.ZodType<T>, raw: unknown): { ok: true; value: T } | { ok: false; issues: BoardIssue[] } {
  const r = schema.safeParse(raw);
  if (r.success) return { ok: true, value: r.data };
  return {
    ok: false,
    issues: r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), panel: panelIdAt(raw, i.path), reason: i.code, message: i.message })),
  };
}

/** Every indicator a dashboard names, with where: what an import checks against the catalogue. */
export function dashboardIndicators(d: Dashboard): { panel: string; path: string; indicator: string }[] {
  return d.panels.flatMap((p, i) =>
    p.kind === 'tiles'
      ? p.indicators.map((indicator, j) => ({ panel: p.id, path: `panels.${i}.indicators.${j}`, indicator }))
      : p.kind === 'feed' || p.kind === 'par' || p.kind === 'directives'
        ? []
        : [{ panel: p.id, path: `panels.${i}.indicator`, indicator: p.indicator }],
  );
}

/** The last whole month before a date: what a monthly report viewed on that date is about. */
export function lastWholeMonth(at: IsoDate): Period {
  return previousPeriod(periodContaining('month', at));
}

/** The latest period of a kind that has ended by the end of `latestMonth`. */
export function latestOfKind(kind: (typeof RELATIVE_PERIOD_KINDS)[number], latestMonth: Period): Period {
  const end = periodEnd(latestMonth);
  if (kind === 'month' || kind === 'ytd') return periodContaining(kind, end);
  let p = periodContaining(kind, end);
  while (periodEnd(p) > end) p = previousPeriod(p);
  return p;
}

/** The place a panel shows: its own code, or the place viewed. */
export function panelPlace(panel: Pick<Panel, 'place'>, viewed: string): string {
  return panel.place === 'viewed' ? viewed : panel.place;
}

/** The period key a panel asks for: a fixed key, or the latest ended period of its kind as of the date viewed. */
export function panelPeriodKey(period: PanelPeriod, at: IsoDate): string {
  return 'key' in period ? period.key : periodKey(latestOfKind(period.kind, lastWholeMonth(at)));
}

/** How many periods of each kind a history chart shows, ending at the period viewed. */
const HISTORY_LENGTH: Partial<Record<Period['kind'], number>> = { month: 24, quarter: 12, half: 8, nine_months: 6, year: 10 };

/**
 * The run of periods an indicator's history chart (and a chart panel) asks
 * for: the last 24 months, 12 quarters or 10 years up to the period viewed;
 * for the year to date, each month's cumulation of that year (YTD-01 …
 * YTD-mm). Null for a day or a key that is not a period.
 */
export function historyRange(key: string): { from: string; to: string } | null {
  let p: Period;
  try {
    p = parsePeriod(key);
  } catch {
    return null;
  }
  if (p.kind === 'day') return null;
  if (p.kind === 'ytd') return { from: periodKey({ kind: 'ytd', year: p.year, month: 1 }), to: key };
  let from: Period = p;
  for (let i = 1; i < (HISTORY_LENGTH[p.kind] ?? 12); i++) from = previousPeriod(from);
  return { from: periodKey(from), to: key };
}

/** A short human summary of issues for an error message. */
export function describeIssues(issues: readonly BoardIssue[], shown = 5): string {
  const parts = issues.slice(0, shown).map((i) => `${i.panel ? `panel ${i.panel}` : i.path || 'document'}${i.path && i.panel ? ` (${i.path})` : ''}: ${i.message}`);
  return parts.join('; ') + (issues.length > shown ? `; and ${issues.length - shown} more` : '');
}
