import { z } from 'zod';
import { multipart, route } from '../contract';
import { instantSchema } from '../indicators';
import { datastreamCodeSchema, datastreamSchema, readingsResponseSchema, stationCodeSchema, stationCreateSchema, stationSchema } from '../sensors';
import { ingestResultSchema } from '../sources';
import { sourceParams } from './sources';

/** The HTTP contract of sensor stations (trạm quan trắc): registration, datastreams, readings; and the upload of a sensor export. See ../contract.ts. */

const TAGS = ['stations'];

/** `:code`, a station's code. */
export const stationParams = z.object({ code: stationCodeSchema });

/** What loading a sensor export did: the readings as rows, and the daily figures written. */
export const readingsUploadResultSchema = ingestResultSchema.extend({ figures: z.number().int().describe('Daily figures written (created or revised)') });
export type ReadingsUploadResult = z.infer<typeof readingsUploadResultSchema>;

export const list = route({
  method: 'GET',
  path: '/api/stations',
  tags: TAGS,
  summary: 'Every station in the caller’s scope, by code, with its place and datastreams',
  response: z.object({ stations: z.array(stationSchema) }),
});

export const create = route({
  method: 'POST',
  path: '/api/stations',
  tags: TAGS,
  summary: 'Register a station',
  description:
    'Locates the point on the day of registration (Vietnam time) to the finest unit whose boundaries are known: a commune of Vĩnh Long, the province elsewhere ' +
    '(400 `station_outside_boundaries` outside every known boundary). Each datastream names the indicator its readings roll up into (404 `unknown_indicator`): ' +
    "the day's mean over every station of the place is written as that indicator's figure (after a file's last batch; after each MQTT batch) once a datastream has readings in `minShare` of the day's hours (default 18 of 24); " +
    'readings outside the datastream’s `validRange` (else the indicator’s) are refused. 409 `station_exists` for a taken code. ' +
    'A point outside the places of the caller’s scope is 403 `forbidden`.',
  body: stationCreateSchema,
  statuses: [201],
  response: stationSchema,
  errors: [400, 403, 404, 409, 413, 415],
});

export const detail = route({
  method: 'GET',
  path: '/api/stations/:code',
  tags: TAGS,
  summary: 'One station; 404 outside the caller’s scope',
  params: stationParams,
  response: stationSchema,
  errors: [400, 404],
});

export const datastreams = route({
  method: 'GET',
  path: '/api/stations/:code/datastreams',
  tags: TAGS,
  summary: "A station's datastreams",
  params: stationParams,
  response: z.object({ datastreams: z.array(datastreamSchema) }),
  errors: [400, 404],
});

export const readings = route({
  method: 'GET',
  path: '/api/stations/:code/readings',
  tags: TAGS,
  summary: "A station's readings, newest first",
  params: stationParams,
  query: z.object({
    from: instantSchema.optional().describe('From this instant (inclusive)'),
    to: instantSchema.optional().describe('Until this instant (exclusive)'),
    datastream: datastreamCodeSchema.optional(),
    limit: z.coerce.number().int().min(1).max(10_000).default(500),
  }),
  response: readingsResponseSchema,
  errors: [400, 404],
});

export const uploadReadings = route({
  method: 'POST',
  path: '/api/sources/:code/readings/upload',
  tags: TAGS,
  summary: 'Upload a sensor export (hourly readings CSV) to a source',
  description:
    'multipart/form-data with the file in a field `file`: the AirNow DOS hourly export (Site, Parameter, Date (LT), Year, Month, Day, Hour, …, Raw Conc., ' +
    'Conc. Unit, Duration, QC Name), local time UTC+7. Sites and parameters map to station and datastream codes through the source mapping ' +
    '(`sensors.stations`, `sensors.datastreams`). -999 or a QC other than Valid is a rejected row `missing_value`; an unknown station or datastream ' +
    '`unknown_station` / `unknown_datastream`; a reading outside the valid range `below_valid_range` / `above_valid_range`; a second, different value for a ' +
    'station, datastream and hour already taken `conflicting_duplicate` (the first stands). Loading the same file again stores nothing twice. The answer counts readings (created: new, unchanged: ' +
    'already stored) and `figures`, the daily means written. A source outside the caller’s scope answers 404; one they may read but not supply, 403 `forbidden`.',
  params: sourceParams,
  body: multipart('file'),
  response: readingsUploadResultSchema,
  errors: [400, 403, 404, 409, 413, 415, 500],
});
