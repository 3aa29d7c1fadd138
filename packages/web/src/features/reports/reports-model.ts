import { periodContaining, periodKey, previousPeriod, reportsApi, type IsoDate } from '@watchfloor/core';
import { hrefOf } from '../../lib/client';

/** The formats a report is rendered in, as the server's contract lists them: Word always, PDF when the server writes it. */
export function reportFormats(): Array<'docx' | 'pdf'> {
  const accepts = (format: string) => reportsApi.render.query.safeParse({ format }).success;
  return (['docx', 'pdf'] as const).filter(accepts);
}

/** The month a monthly report is written about by default: the last whole month before today (Vietnam time). */
export function lastWholeMonth(today: IsoDate): string {
  return periodKey(previousPeriod(periodContaining('month', today)));
}

/** Where the report of a template for a month downloads from. */
export function reportHref(code: string, period: string, format: 'docx' | 'pdf'): string {
  return hrefOf(reportsApi.render, { params: { code }, query: { period, format } as never });
}

/** A problem the server found in a template, as it lists them in `details`. */
export interface TemplateProblem {
  path: string;
  reason: string;
  message: string;
}

/** The problems listed in a refusal's details, those that read as such. */
export function templateProblems(details: unknown): TemplateProblem[] {
  if (!Array.isArray(details)) return [];
  return details.filter(
    (d): d is TemplateProblem => typeof d === 'object' && d !== null && typeof (d as TemplateProblem).path === 'string' && typeof (d as TemplateProblem).message === 'string',
  );
}
