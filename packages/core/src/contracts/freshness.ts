import { z } from 'zod';
import { route } from '../contract';
import { exportQueryShape, withExportDescription } from '../exports';
import { indicatorFreshnessResponseSchema, lateResponseSchema } from '../freshness';
import { freshnessResponseSchema } from '../sources';

/** The HTTP contract of freshness: when data last arrived, when it is due, what is late and who answers for it. See ../contract.ts. */

const TAGS = ['sources'];

export const sources = route({
  method: 'GET',
  path: '/api/freshness/sources',
  tags: TAGS,
  summary: 'When each source in the caller’s scope last delivered and when it is due; the late ones ranked by lateness, and the agencies responsible',
  response: freshnessResponseSchema,
});

export const indicators = route({
  method: 'GET',
  path: '/api/freshness/indicators',
  tags: TAGS,
  summary: 'Every indicator: when its data last arrived, from which source and agency, when it is due, and whether it is late',
  description:
    "The deadline is the supplying source's expected delivery when a registered source supplies the indicator, else the indicator's own delivery rule. " +
    'A rate or formula takes the arrival of its latest part.',
  response: indicatorFreshnessResponseSchema,
});

export const late = route({
  method: 'GET',
  path: '/api/freshness/late',
  tags: TAGS,
  summary: 'Late sources and indicators, and the agencies accountable ranked by lateness: the basis of reminders',
  description: withExportDescription(
    'The sources are those in the caller’s scope; the indicators are all of them. ' +
      'Exported, a row is a late source, then a late indicator, the most overdue first: kind, code, name, accountable agency, the source that delivered it (an indicator), last arrival, delivered up to, due, late since, days late, period missing; the agencies to remind are in the notes.',
  ),
  query: z.object(exportQueryShape),
  response: lateResponseSchema,
});
