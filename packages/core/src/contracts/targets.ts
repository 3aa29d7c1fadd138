import { z } from 'zod';
import { route } from '../contract';
import { indicatorCodeSchema, periodKeySchema } from '../indicators';
import { placeCodeSchema } from '../places';
import { documentedAs } from './catalogue';

/** The HTTP contract of planned values (kế hoạch) of indicators per place and period. */

/** One planned value as a client sends it. */
export const targetRowSchema = z.object({
  indicator: indicatorCodeSchema,
  place: placeCodeSchema.describe('Code of the administrative unit, resolved to the unit of that code valid during the period'),
  period: periodKeySchema.describe('Usually a year (2026); any reporting period key is accepted'),
  value: z.number().describe("The planned value, in the indicator's unit"),
});
export type TargetRow = z.infer<typeof targetRowSchema>;

/** One saved planned value. */
export const targetSchema = z.object({
  indicator: z.string(),
  place: z.string(),
  period: z.string(),
  value: z.number(),
  updatedAt: z.string().describe('When the value was last saved (UTC)'),
});
export type Target = z.infer<typeof targetSchema>;

export const save = route({
  method: 'PUT',
  path: '/api/targets',
  tags: ['targets'],
  summary: 'Save planned values, all or nothing',
  description:
    'Each row is checked: the indicator exists, the period key parses, the place code names a unit valid during the period, the value is a number. ' +
    'Rows replace the saved value of the same indicator, unit and period. One bad row saves nothing: 400 `invalid_body` with `details` ' +
    'listing `{ index, reason, message }` per bad row (reasons: invalid_row, unknown_indicator, invalid_period, not_a_number, unknown_place, ' +
    'place_not_valid_in_period, duplicate_in_batch, out_of_scope: a place outside the scope the caller may manage).',
  body: z.object({ targets: z.array(documentedAs(targetRowSchema, 'A planned value')) }),
  response: z.object({ saved: z.number().int() }),
  errors: [400, 413, 415],
});

export const list = route({
  method: 'GET',
  path: '/api/targets',
  tags: ['targets'],
  summary: 'Planned values, filtered by indicator, place and period',
  description: 'Only the plans for places within the caller’s scope; the others are not listed, as if none were saved.',
  query: z.object({
    indicator: indicatorCodeSchema.optional(),
    place: placeCodeSchema.optional().describe('A unit code: with `period`, the unit of that code valid during it; without, every unit that bore the code'),
    period: periodKeySchema.optional(),
  }),
  response: z.object({ targets: z.array(targetSchema) }),
  errors: [400, 404],
});
