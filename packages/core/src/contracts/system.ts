import { z } from 'zod';
import { fileAnswer, route } from '../contract';
import { isoDateSchema } from '../dates';
import { placeCodeSchema } from '../places';

export const readinessSchema = z.object({
  ready: z.boolean(),
  checks: z.object({ database: z.boolean(), migrations: z.boolean() }),
  problems: z.array(z.string()),
});

export const statusSchema = z.object({
  version: z.string(),
  database: z.object({
    engine: z.enum(['sqlite', 'postgres']),
    location: z.string().optional().describe('Administrators only'),
    version: z.string().optional().describe('Administrators only'),
  }),
  migrations: z.object({ applied: z.number(), pending: z.array(z.string()) }),
  datasets: z.array(z.object({ name: z.string(), loadedAt: z.string(), summary: z.unknown() })),
  places: z.record(z.string(), z.number()),
  geometries: z.number(),
  lineageEdges: z.number(),
  organisations: z.number(),
});
export type StatusAnswer = z.infer<typeof statusSchema>;

/** One span of the IOC's home province: the unit shown at the home page on dates within it. */
export const homeSpanSchema = z.object({
  code: placeCodeSchema,
  name: z.string(),
  from: isoDateSchema.nullable().describe('First day (null: since before the records)'),
  to: isoDateSchema.nullable().describe('Last day (null: still today)'),
});
export type HomeSpan = z.infer<typeof homeSpanSchema>;

/** What the server is configured to serve, read once by the web app when it starts. */
export const serverConfigSchema = z.object({
  version: z.string(),
  province: z.object({ code: placeCodeSchema, name: z.string() }).describe('The province served today (WATCHFLOOR_PROVINCE)'),
  home: z
    .array(homeSpanSchema)
    .min(1)
    .describe('The home province over time, oldest first: before the served province took its present form, the unit the IOC served then (WATCHFLOOR_PROVINCE_BEFORE)'),
  demoData: z.boolean().describe('The demo data set (synthetic figures, labelled as such) is loaded on an empty database'),
});
export type ServerConfig = z.infer<typeof serverConfigSchema>;

export const health = route({
  method: 'GET',
  path: '/healthz',
  tags: ['system'],
  summary: 'Liveness: the process is up',
  response: z.object({ status: z.literal('ok') }),
});

export const readiness = route({
  method: 'GET',
  path: '/readyz',
  tags: ['system'],
  summary: 'Readiness: the database is reachable and migrations are applied',
  description: 'Answers 503 with the same body when not ready.',
  statuses: [200, 503],
  response: readinessSchema,
});

export const status = route({
  method: 'GET',
  path: '/api/status',
  tags: ['system'],
  summary: 'Version, database, and what reference data is loaded',
  description: 'The database’s location and version are answered to administrators only.',
  response: statusSchema,
});

export const config = route({
  method: 'GET',
  path: '/api/config',
  tags: ['system'],
  summary: 'What the server serves: its province (and the one it served before the province took its present form), whether demo data is loaded',
  description: 'Read once by the web app when it starts: the home page, the dashboards’ own place and the wall show the home province of the date viewed.',
  response: serverConfigSchema,
  errors: [500],
});

/** The placeholder home page, served when no build of the web app is installed. */
export const placeholder = route({
  method: 'GET',
  path: '/',
  tags: ['system'],
  summary: 'The placeholder home page: what is loaded, and how to build the web app',
  query: z.object({ lang: z.enum(['vi', 'en']).optional() }),
  response: fileAnswer('text/html; charset=utf-8'),
  hide: true,
});

/** Prometheus metrics, for a scraper holding a token with the read role. */
export const metrics = route({
  method: 'GET',
  path: '/metrics',
  tags: ['system'],
  summary: 'Prometheus metrics: request durations by route pattern, process figures',
  response: fileAnswer('text/plain; version=0.0.4; charset=utf-8'),
  errors: [401, 403],
  hide: true,
});
