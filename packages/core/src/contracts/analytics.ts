import { z } from 'zod';
import { route } from '../contract';
import { exportQueryShape, withExportDescription } from '../exports';
import { atQuery } from '../dates';
import { indicatorParams } from './catalogue';
import {
  breakdownResponseSchema,
  indicatorCodeSchema,
  organisationRankingResponseSchema,
  overviewResponseSchema,
  periodKeySchema,
  rankingResponseSchema,
  seriesResponseSchema,
} from '../indicators';
import { placeCodeSchema, placeLevelSchema } from '../places';

/** The HTTP contract of the figures read back: a place's overview, an indicator's series and breakdown, rankings. */

const period = periodKeySchema.optional().describe('Period key (2026-10, 2026-Q3, 2026-H1, 2026-9M, 2026, 2026-YTD-10); default: the last whole month');


export const overview = route({
  method: 'GET',
  path: '/api/overview',
  tags: ['indicators'],
  summary: 'Every indicator of a place for a period: value, status, plan, year-to-date, same period last year, trend, freshness',
  description:
    'Figures are regrouped onto the units valid on `at`: Trà Vinh 2016–2024 reads as province 84 with `at` in those years, and as part of province 86 with `at` today. ' +
    withExportDescription(
      'Everyone, signed in or not, reads the published indicators of every place. A reader whose roles cover place subtrees reads every indicator of the places within them, and the published ones elsewhere; an unpublished indicator outside them answers 404 `unknown_indicator`. ' +
        'Exported, a row is an indicator that applies to the place and period (as the screen shows its tiles): code, name, place, period, value and unit, plan and percent of plan, year to date and percent of the year plan, same period last year and the change, status, then coverage, freshness and source.',
    ),
  query: atQuery.extend({ place: placeCodeSchema.describe('Administrative unit code'), period, domain: z.string().max(40).optional(), ...exportQueryShape }),
  response: overviewResponseSchema,
  errors: [400, 404],
});

export const series = route({
  method: 'GET',
  path: '/api/indicators/:code/series',
  tags: ['indicators'],
  summary: "One indicator's figures for a place over a run of periods, with plan and same period last year",
  description: withExportDescription(),
  params: indicatorParams,
  query: atQuery.extend({ place: placeCodeSchema, from: periodKeySchema, to: periodKeySchema, ...exportQueryShape }),
  response: seriesResponseSchema,
  errors: [400, 404],
});

export const breakdown = route({
  method: 'GET',
  path: '/api/indicators/:code/breakdown',
  tags: ['indicators'],
  summary: "One indicator's figure for each child unit of a place, or for each organisation reporting under it",
  description: withExportDescription(),
  params: indicatorParams,
  query: atQuery.extend({ place: placeCodeSchema, period, by: z.enum(['place', 'organisation']).default('place'), ...exportQueryShape }),
  response: breakdownResponseSchema,
  errors: [400, 404],
});

export const organisationRankings = route({
  method: 'GET',
  path: '/api/rankings/organisations',
  tags: ['indicators'],
  summary: 'Organisations that reported an indicator under a place, ranked by it (agency scorecards)',
  description: withExportDescription(),
  query: atQuery.extend({ indicator: indicatorCodeSchema, period, place: placeCodeSchema.optional().describe('Rank the organisations reporting under this unit; default: the province served'), ...exportQueryShape }),
  response: organisationRankingResponseSchema,
  errors: [400, 404],
});

export const rankings = route({
  method: 'GET',
  path: '/api/rankings',
  tags: ['indicators'],
  summary: 'Units of a level ranked by an indicator or composite index, with the components of each score',
  description: withExportDescription(),
  query: atQuery.extend({
    indicator: indicatorCodeSchema,
    period,
    level: placeLevelSchema.default('province'),
    parent: placeCodeSchema.optional().describe('Only units under this one'),
    ...exportQueryShape,
  }),
  response: rankingResponseSchema,
  errors: [400, 404],
});
