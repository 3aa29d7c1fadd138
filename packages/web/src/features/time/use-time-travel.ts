import type { PlaceSummary } from '@watchfloor/core';
import { useCallback } from 'react';
import { api } from '../../lib/api';
import { navigate } from '../../lib/router';
import { homeUrl, routeUrl, type Route, type ViewQuery } from '../../app/routes';
import { periodAfterTimeTravel } from '../period/period-logic';
import { counterpart, homePlace, validOn } from './time-travel';

/**
 * Moves the screen to another date. The place stays when it existed then;
 * otherwise its lineage names the unit of that time (Phường Trà Vinh in 2026
 * → the district Thành phố Trà Vinh in 2020), falling back to the home
 * province. The period follows the date when it was the latest one.
 */
export function useTimeTravel(route: Route, place: PlaceSummary | undefined, query: ViewQuery, today: string): (at: string) => Promise<void> {
  return useCallback(
    async (toAt: string) => {
      const fromAt = query.at ?? today;
      const period = periodAfterTimeTravel(query.period, fromAt, toAt, today);
      const at = toAt === today ? undefined : toAt;
      const next: ViewQuery = { at, period, map: query.map };
      if (route.name === 'home' || !place) {
        navigate(homeUrl(next));
        return;
      }
      let code = place.code;
      if (!validOn(place, toAt)) {
        try {
          code = counterpart(await api.lineage(place.code, fromAt).load(), toAt) ?? homePlace(toAt);
        } catch {
          code = homePlace(toAt);
        }
      }
      const target: Route = route.name === 'indicator' ? { name: 'indicator', code, indicator: route.indicator } : { name: 'place', code };
      navigate(routeUrl(target, next));
    },
    [route, place, query.at, query.period, query.map, today],
  );
}
