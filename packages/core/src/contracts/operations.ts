import { route } from '../contract';
import { figuresRebuildResultSchema, figuresRebuildSchema } from '../operations';

/** The HTTP contract of operational figures: the figures counted from cases and dossiers. */

export const rebuild = route({
  method: 'POST',
  path: '/api/figures/rebuild',
  tags: ['operations'],
  summary: 'Recompute the figures counted from cases and dossiers over a range of months',
  description:
    'CR_* (citizen reports) from the cases and the Decision 766 PS_DOSSIER_* measures from the dossiers, per unit (commune and province) and per agency, ' +
    'written as runs of the sources WF-CASES and WF-DOSSIERS (channel `derived`). Only figures that differ are written: a rebuild of unchanged months writes nothing. ' +
    'A figure another source filed for the same indicator, unit, agency and month (an agency\'s own report, the demo data set\'s synthetic series) is never overwritten by the count.',
  body: figuresRebuildSchema,
  response: figuresRebuildResultSchema,
  errors: [400],
});
