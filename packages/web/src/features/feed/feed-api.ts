import { alertSchema, caseSchema, scorecardsApi, stationsApi, type Alert, type Case } from '@watchfloor/core';
import { fresh as request, listOf, urlOf } from '../../lib/api';
import { fresh } from '../../lib/client';

/**
 * Requests of the leaders' screens (feed, map points, scorecards), every
 * answer checked against core's schemas. Nothing is kept: these follow live
 * events and must show the state of now.
 */
const casesAnswer = listOf('cases', caseSchema);
const alertsAnswer = listOf('alerts', alertSchema);

export const leadersApi = {
  /** Cases of a commune or province, newest first. */
  cases: (place: string, limit: number) => request<{ cases: Case[] }>(urlOf('/api/cases', { place, limit: String(limit) }), casesAnswer),
  /** The latest alerts; open and acknowledged ones are picked out on the client (the API filters one status at a time). */
  alerts: (limit: number) => request<{ alerts: Alert[] }>(urlOf('/api/alerts', { limit: String(limit) }), alertsAnswer),
  stations: () => fresh(stationsApi.list),
  scorecards: (q: { period?: string | undefined; place?: string | undefined }) => fresh(scorecardsApi.list, { query: q }),
};
