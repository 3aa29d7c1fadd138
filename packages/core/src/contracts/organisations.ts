/** The HTTP contract of organisations: see ../contract.ts. */
import { z } from 'zod';
import { route } from '../contract';
import { atQuery, isoDateSchema } from '../dates';
import { organisationDetailSchema, organisationKindSchema, organisationSchema } from '../organisations';

/** An agency's code: letters, digits and dashes. */
export const orgCode = z.string().regex(/^[A-Za-z0-9-]{1,40}$/, 'must be an organisation code (letters, digits, dashes)');

export const list = route({
  method: 'GET',
  path: '/api/organisations',
  tags: ['organisations'],
  summary: 'The agencies that existed on a date',
  query: atQuery.extend({
    parent: orgCode.optional().describe('Only agencies under this one'),
    place: z.string().regex(/^\d{2,5}$/).optional().describe('Only agencies serving this administrative unit'),
    kind: organisationKindSchema.optional(),
  }),
  response: z.object({ at: isoDateSchema, organisations: z.array(organisationSchema) }),
  errors: [400],
});

export const detail = route({
  method: 'GET',
  path: '/api/organisations/:code',
  tags: ['organisations'],
  summary: 'One agency as it was on a date, with the agencies under it, and those it came from and became',
  params: z.object({ code: orgCode }),
  query: atQuery,
  response: organisationDetailSchema.extend({ at: isoDateSchema }),
  errors: [400, 404],
});
