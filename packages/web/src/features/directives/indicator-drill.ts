import { isDirectiveIndicator } from '@watchfloor/core';
import { directivesUrl } from '../../app/routes';

/**
 * Where an agency's row of a directive figure (DIR_*) leads: the agency's
 * tasks for the same period on /directives, its overdue tasks first; other
 * indicators' agencies lead nowhere (undefined).
 */
export function directiveAgencyHref(indicator: string, period: string): ((organisation: string) => string) | undefined {
  return isDirectiveIndicator(indicator) ? (organisation) => directivesUrl({ period, agency: organisation }) : undefined;
}
