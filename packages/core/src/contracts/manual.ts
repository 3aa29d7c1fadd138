import { route } from '../contract';
import { manualEntrySchema, manualFormQuerySchema, manualFormSchema } from '../manual';
import { ingestResultSchema } from '../sources';
import { sourceParams } from './sources';

/** The HTTP contract of manual entry: the form of a manual source and the figures typed into it. See ../contract.ts. */

const TAGS = ['sources'];

export const form = route({
  method: 'GET',
  path: '/api/sources/:code/form',
  tags: TAGS,
  summary: 'The entry form of a manual source for a period and place: the indicators it supplies, with unit, frequency, valid range and the value stored',
  description: "The indicators are the one fixed by the source's mapping, else those owed by the source's owner agency (base indicators, not rates).",
  params: sourceParams,
  query: manualFormQuerySchema,
  response: manualFormSchema,
  errors: [400, 403, 404, 409],
});

export const enter = route({
  method: 'POST',
  path: '/api/sources/:code/entries',
  tags: TAGS,
  summary: 'Write the figures typed into the form of a manual source',
  description:
    'One run of the `manual` channel, recording who typed the figures. Each figure is validated by the one write path; a refused one comes back in ' +
    '`rejectedRows` with its position (`line`, from 1) and coded reason. Sending the same form again changes nothing; a changed value becomes a revision. ' +
    'A source outside the caller’s scope answers 404; one they may read but not supply, 403 `forbidden`. A signed-in user is recorded as who typed the figures.',
  params: sourceParams,
  body: manualEntrySchema,
  response: ingestResultSchema,
  errors: [400, 403, 404, 409],
});
