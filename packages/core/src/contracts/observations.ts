import { z } from 'zod';
import { route } from '../contract';
import { indicatorCodeSchema, figureHistoryResponseSchema } from '../indicators';
import { placeCodeSchema } from '../places';
import { rejectionReasonSchema } from '../rejections';
import { sourceCodeSchema } from '../sources';

/** Rows per request on the JSON write path; larger loads go through the connectors' streaming channels. */
export const MAX_OBSERVATION_BATCH = 5000;

/** What a batch of figures did, row by row. */
export const writeResultSchema = z.object({
  received: z.number(),
  accepted: z.number(),
  created: z.number(),
  revised: z.number(),
  unchanged: z.number(),
  rejected: z.array(z.object({ index: z.number(), reason: rejectionReasonSchema, message: z.string(), row: z.unknown() })),
  stored: z
    .array(z.object({ index: z.number(), place: z.string(), placeName: z.string().nullable(), organisation: z.string().nullable(), value: z.number(), unit: z.string() }))
    .optional()
    .describe('Accepted rows stored otherwise than sent: a unit or agency by name (its code and name), a value converted from the unit it was sent in'),
});
export type WriteResult = z.infer<typeof writeResultSchema>;

export const write = route({
  method: 'POST',
  path: '/api/observations',
  tags: ['indicators'],
  summary: 'Send a batch of figures: each row validated on its own, the accepted ones written in one transaction',
  description:
    'Idempotent by indicator × place × period × organisation: sending the same batch again changes nothing; a new value is kept as a revision. ' +
    'Rows are refused with a coded reason and the rest accepted; a row outside what the source may report for (its `coverage`) or outside the caller’s scope ' +
    'of supplying data is refused as `out_of_scope`. `source` must be a source the caller may supply: 404 `unknown_source` when it does not exist or lies ' +
    'outside their scope, 403 `forbidden` when they may read it but not supply it, 409 `source_disabled` when switched off. `dryRun` only reports what would happen.',
  query: z.object({ dryRun: z.enum(['true', 'false']).optional() }),
  body: z.object({
    source: sourceCodeSchema.describe('The registered source the figures come from (a source the caller may supply)'),
    enteredBy: z.string().max(120).nullable().default(null).describe('Who entered them, for manual entry'),
    observations: z.array(z.unknown()).min(1).max(MAX_OBSERVATION_BATCH).describe('Rows of { indicator, place, period, value, unit?, status?, organisation?, note? }; place and organisation by code or by name'),
  }),
  response: writeResultSchema,
  errors: [400, 403, 404, 409, 413],
});

export const history = route({
  method: 'GET',
  path: '/api/observations/history',
  tags: ['indicators'],
  summary: 'Every revision of one figure, oldest first: who sent which value when',
  description: 'A figure of a unit outside the caller’s scope answers 404 as an unknown one.',
  query: z.object({
    indicator: indicatorCodeSchema,
    place: placeCodeSchema.describe('The unit the figure was reported for, as it was during the period'),
    period: z.string().min(4).max(40),
    organisation: z.string().max(40).optional(),
  }),
  response: figureHistoryResponseSchema,
  errors: [400, 404],
});
