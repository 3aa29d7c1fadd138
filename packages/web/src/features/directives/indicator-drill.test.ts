import { describe, expect, it } from 'vitest';
import { parseRoute } from '../../app/routes';
import { directiveAgencyHref } from './indicator-drill';

describe('from a directive figure to the agency’s tasks', () => {
  it('leads an agency’s overdue count of a month to its tasks of that month on /directives', () => {
    const href = directiveAgencyHref('DIR_OVERDUE', '2026-11')?.('VL-STC');
    expect(href).toBe('/directives?period=2026-11&agency=VL-STC');
    expect(parseRoute(new URL(href!, 'http://x').pathname)).toEqual({ name: 'directives' });
    expect(directiveAgencyHref('DIR_ON_TIME_RATE', '2026')?.('UBND-29242')).toBe('/directives?period=2026&agency=UBND-29242');
  });

  it('leaves the agencies of other indicators where they are', () => {
    expect(directiveAgencyHref('PS_ON_TIME_RATE', '2026-11')).toBeUndefined();
  });
});
