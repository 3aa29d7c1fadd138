/** The analytics API's response shapes live in core, shared with the web app; re-exported here for the routes and service. */
export {
  breakdownResponseSchema,
  figureViewSchema,
  organisationRankingResponseSchema,
  overviewItemSchema,
  overviewResponseSchema,
  rankingResponseSchema,
  seriesResponseSchema,
  type BreakdownResponse,
  type FigureView,
  type OrganisationRankingResponse,
  type OverviewItem,
  type OverviewResponse,
  type RankingResponse,
  type SeriesResponse,
} from '@watchfloor/core';
