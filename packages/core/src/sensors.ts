import { z } from 'zod';
import { instantSchema } from './indicators/periods';
import { indicatorCodeSchema } from './indicators/shared';
import { placeSummarySchema } from './places';

/**
 * Sensor stations (trạm quan trắc) and their datastreams: a station stands at
 * a point, located once to the finest unit whose boundaries are known; each
 * datastream measures one indicator in its own unit, its readings (instant,
 * value) kept as they arrived and rolled up into the indicator's daily
 * figure for the station's place.
 */

export const stationCodeSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1–64 letters, digits, dots, dashes or underscores, starting with a letter or digit')
  .describe('Station code, e.g. HN-USEMB');
export const datastreamCodeSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1–64 letters, digits, dots, dashes or underscores, starting with a letter or digit')
  .describe('Datastream code within its station, e.g. pm25');

/**
 * The share of a Vietnamese day's 24 hours that must hold a reading of a
 * datastream before its readings make a daily mean: 75 %, 18 of 24 hours,
 * as Vietnam's air-quality technical guidance asks of a 24-hour mean.
 */
export const DEFAULT_MIN_SHARE = 0.75;
export const HOURS_PER_DAY = 24;

/** What a day short of the required hours gets: no figure (`omit`), or its mean stored with status `estimated` and a note saying how many hours it holds. */
export const INCOMPLETE_DAY_POLICIES = ['omit', 'estimated'] as const;
export type IncompleteDayPolicy = (typeof INCOMPLETE_DAY_POLICIES)[number];

const readingRangeSchema = z
  .object({ min: z.number().finite().nullable().default(null), max: z.number().finite().nullable().default(null) })
  .strict()
  .refine((r) => r.min === null || r.max === null || r.min <= r.max, { message: 'min must not exceed max' });
export type ReadingRange = { min: number | null; max: number | null };

export const datastreamInputSchema = z
  .object({
    code: datastreamCodeSchema,
    indicator: indicatorCodeSchema.describe('The indicator its readings roll up into, e.g. ENV_PM25'),
    unit: z.string().min(1).max(32).describe('The unit readings arrive in, e.g. µg/m³'),
    scale: z.number().positive().nullable().default(null).describe('Multiplies a reading into the indicator unit (e.g. 1000 for mg/m³ → µg/m³); null: the same unit'),
    validRange: readingRangeSchema
      .nullable()
      .default(null)
      .describe("Readings below min or above max (in the datastream unit) are refused (below_valid_range, above_valid_range); null: the indicator's validRange, applied to the reading × scale"),
    minShare: z
      .number()
      .min(0)
      .max(1)
      .nullable()
      .default(null)
      .describe("The share of a day's 24 hours that must hold a reading for the day to get a mean; null: 0.75 (18 of 24 hours)"),
    incompleteDays: z.enum(INCOMPLETE_DAY_POLICIES).default('omit').describe("A day short of minShare: no figure (omit), or its mean stored with status 'estimated' and a note (estimated)"),
  })
  .strict();
export type DatastreamInput = z.infer<typeof datastreamInputSchema>;

export const stationCreateSchema = z
  .object({
    code: stationCodeSchema,
    name: z.string().min(1).max(200),
    lat: z.number().min(-90).max(90).describe('WGS 84 latitude'),
    lon: z.number().min(-180).max(180).describe('WGS 84 longitude'),
    source: z.string().min(1).max(64).nullable().default(null).describe('The source (MQTT or file) its readings arrive through'),
    enabled: z.boolean().default(true),
    datastreams: z.array(datastreamInputSchema).max(100).default([]),
  })
  .strict()
  .refine((s) => new Set(s.datastreams.map((d) => d.code)).size === s.datastreams.length, { message: 'datastream codes must be distinct', path: ['datastreams'] });
export type StationCreate = z.infer<typeof stationCreateSchema>;

export const datastreamSchema = z.object({
  code: z.string(),
  indicator: z.string(),
  unit: z.string(),
  scale: z.number().nullable(),
  validRange: z.object({ min: z.number().nullable(), max: z.number().nullable() }).nullable().describe("The datastream's own valid range; null: the indicator's"),
  minShare: z.number().describe("The share of a day's 24 hours that must hold a reading for a daily mean"),
  incompleteDays: z.enum(INCOMPLETE_DAY_POLICIES),
});
export type Datastream = z.infer<typeof datastreamSchema>;

export const stationSchema = z.object({
  code: z.string(),
  name: z.string(),
  lat: z.number(),
  lon: z.number(),
  place: placeSummarySchema.nullable().describe('The finest unit with known boundaries holding the station when it was registered'),
  provinceCode: z.string().nullable(),
  source: z.string().nullable(),
  enabled: z.boolean(),
  datastreams: z.array(datastreamSchema),
  createdAt: z.string(),
});
export type Station = z.infer<typeof stationSchema>;

export const readingSchema = z.object({
  datastream: z.string(),
  at: z.string().describe('The instant measured (UTC)'),
  value: z.number().describe('As received, in the datastream unit'),
});
export type Reading = z.infer<typeof readingSchema>;

export const readingsResponseSchema = z.object({
  station: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  readings: z.array(readingSchema).describe('Newest first, at most `limit`'),
});

/**
 * One reading as a sensor sends it: the instant with its UTC offset (a
 * local time without one is ambiguous), the value in the datastream unit;
 * null means the sensor had no value.
 */
export const readingInputSchema = z
  .object({
    station: stationCodeSchema,
    datastream: datastreamCodeSchema,
    at: instantSchema.describe('ISO-8601 instant with offset, e.g. 2017-01-01T01:00:00+07:00'),
    value: z.number().finite().nullable(),
  })
  .strict();
export type ReadingInput = z.infer<typeof readingInputSchema>;

/** A message: one reading, several as an array, or `{ "readings": [...] }`. */
export const readingMessageSchema = z.union([readingInputSchema, z.array(z.unknown()).max(100_000), z.object({ readings: z.array(z.unknown()).max(100_000) }).strict()]);

/**
 * How a sensor source is read. `mqtt`: the broker and the topic patterns
 * (`+` and `#` wildcards) subscribed with QoS 1 in a persistent session;
 * credentials (username, password) are the source's encrypted ones.
 * `stations` / `datastreams`: a file export's site names and parameter
 * names → station and datastream codes.
 */
export const mqttConfigSchema = z
  .object({
    url: z.string().regex(/^mqtts?:\/\/[^\s]+$/, 'must be an mqtt:// or mqtts:// URL').describe('The broker, e.g. mqtt://broker.example.vn:1883'),
    topics: z.array(z.string().min(1).max(256)).min(1).max(50).describe('Topic patterns, e.g. ["vl/air/+/readings"]'),
    clientId: z.string().min(1).max(64).optional().describe('A stable client id for the persistent session; default watchfloor-<source>'),
  })
  .strict();
export type MqttConfig = z.infer<typeof mqttConfigSchema>;

export const sensorMappingSchema = z
  .object({
    mqtt: mqttConfigSchema.optional(),
    stations: z.record(z.string().min(1).max(200), stationCodeSchema).optional().describe('Site name in the file → station code, e.g. { "Hanoi": "HN-USEMB" }'),
    datastreams: z.record(z.string().min(1).max(200), datastreamCodeSchema).optional().describe('Parameter in the file → datastream code, e.g. { "PM2.5 - Principal": "pm25" }'),
  })
  .strict();
export type SensorMapping = z.infer<typeof sensorMappingSchema>;

/** Why a reading lies outside a range, or null; a bound that is null does not limit. */
export function rangeProblem(value: number, range: ReadingRange | null): 'below_valid_range' | 'above_valid_range' | null {
  if (range?.min != null && value < range.min) return 'below_valid_range';
  if (range?.max != null && value > range.max) return 'above_valid_range';
  return null;
}

/** The hours of a day a share requires: 0.75 → 18. */
export function hoursRequired(minShare: number | null): number {
  return Math.max(0, Math.ceil((minShare ?? DEFAULT_MIN_SHARE) * HOURS_PER_DAY - 1e-9));
}

/** One datastream's readings on one Vietnamese day (in the indicator unit), with what it asks of a day. */
export interface StreamDay {
  minShare: number | null;
  incompleteDays: IncompleteDayPolicy;
  readings: readonly { at: string; value: number }[];
}

export interface DailyMean {
  value: number;
  /** False: no datastream held the hours it asks for, and the mean is of one that takes incomplete days as estimated. */
  complete: boolean;
  /** The most hours with a reading among the datastreams averaged. */
  hours: number;
  /** The hours those datastreams ask for (the least among them). */
  required: number;
}

/**
 * The daily mean of a place from its datastreams' readings of one day: the
 * mean of every reading of the datastreams that hold a reading in at least
 * the hours they ask for (an hour counts once, however many readings it
 * holds). When none does, the mean of those that take an incomplete day as
 * estimated, marked incomplete; when none of those has a reading either,
 * no mean: a day of four hours is not a 24-hour mean.
 */
export function dailyMean(streams: readonly StreamDay[]): DailyMean | null {
  const judged = streams
    .filter((s) => s.readings.length > 0)
    .map((s) => {
      const hours = new Set(s.readings.map((r) => Math.floor(Date.parse(r.at) / 3_600_000))).size;
      const required = hoursRequired(s.minShare);
      return { s, hours, required, complete: hours >= required };
    });
  const complete = judged.filter((j) => j.complete);
  const used = complete.length > 0 ? complete : judged.filter((j) => j.s.incompleteDays === 'estimated');
  if (used.length === 0) return null;
  let sum = 0;
  let n = 0;
  for (const j of used) {
    for (const r of j.s.readings) sum += r.value;
    n += j.s.readings.length;
  }
  return { value: sum / n, complete: complete.length > 0, hours: Math.max(...used.map((j) => j.hours)), required: Math.min(...used.map((j) => j.required)) };
}
