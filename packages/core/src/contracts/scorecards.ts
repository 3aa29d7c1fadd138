import { z } from 'zod';
import { route } from '../contract';
import { exportQueryShape, withExportDescription } from '../exports';
import { periodKeySchema } from '../indicators';
import { scorecardsResponseSchema } from '../scorecards';

/** The HTTP contract of agency scorecards: organisations ranked by on-time service and on-time data. */

export const list = route({
  method: 'GET',
  path: '/api/scorecards',
  tags: ['organisations'],
  summary: 'Organisations of a place ranked by a composite of dossiers on time, cases on time, directive tasks done on time and data on time',
  description:
    'Per organisation serving the place or a unit under it: dossiers processed early or on time over processed (Decision 766), cases processed by their deadline over processed, ' +
    'directive tasks it leads falling due in the period done on time over those done or overdue, judged now (DIR_DONE_ON_TIME / DIR_JUDGED), ' +
    'and its scheduled sources and indicators not late now over all of them. Composite 0–100 with weights 32/24/20/24, renormalised over the components the agency has; ' +
    'each component answers its parts, weight, effective weight and contribution. Cases handled (processed) is shown beside the score, not in it. ' +
    withExportDescription(
      'Only the agencies the caller\'s scope reaches, and others only with the caller\'s own cases and dossiers there; counts are of the cases, dossiers and directive tasks in the scope.',
    ),
  query: z.object({
    period: periodKeySchema.optional().describe('Default: the current month in Vietnam'),
    place: z.string().regex(/^\d{2,5}$/).optional().describe('A province, district or commune code; default the province served'),
    ...exportQueryShape,
  }),
  response: scorecardsResponseSchema,
  errors: [400, 404],
});
