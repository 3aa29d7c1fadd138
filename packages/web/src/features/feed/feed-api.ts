import { alertsApi, casesApi, scorecardsApi, stationsApi } from '@watchfloor/core';
import { fresh, hrefOf } from '../../lib/client';

/**
 * Requests of the leaders' screens (feed, map points, scorecards), every
 * answer checked against core's schemas. Nothing is kept: these follow live
 * events and must show the state of now.
 */
export const leadersApi = {
  /** Cases of a commune or province, newest first. */
  cases: (place: string, limit: number) => fresh(casesApi.list, { query: { place, limit } }),
  /** The latest alerts; open and acknowledged ones are picked out on the client (the API filters one status at a time). */
  alerts: (limit: number) => fresh(alertsApi.list, { query: { limit } }),
  stations: () => fresh(stationsApi.list),
  scorecards: (q: { period?: string | undefined; place?: string | undefined }) => fresh(scorecardsApi.list, { query: q }),
  /** The scorecards as the export menu links to them: the same query. */
  scorecardsHref: (q: { period?: string | undefined; place?: string | undefined }) => hrefOf(scorecardsApi.list, { query: q }),
};
