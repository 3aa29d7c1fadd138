import { parApi, type ParUnitKind } from '@watchfloor/core';
import { cached, fresh, hrefOf } from '../../lib/client';

const frameworks = cached(parApi.framework);

/**
 * Requests of the PAR Index results, every answer checked against core's
 * schemas. Cycles and results are read afresh (the council decides and the
 * province publishes while the screen is open); a framework, fixed once a
 * cycle uses it, is kept.
 */
export const parResultsApi = {
  cycles: () => fresh(parApi.cycles),
  results: (id: number, kind?: ParUnitKind) => fresh(parApi.results, { params: { id }, query: { kind } }),
  framework: (code: string) => frameworks.request({ params: { code } }),
  /** The official result tables as XLSX: a link, not a call. */
  xlsxHref: (id: number) => hrefOf(parApi.resultsXlsx, { params: { id } }),
};
