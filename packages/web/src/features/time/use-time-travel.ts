import type { Lineage, PlaceSummary } from '@watchfloor/core';
import { useCallback, useState } from 'react';
import { api } from '../../lib/api';
import { navigate } from '../../lib/router';
import { homeUrl, routeUrl, type Route, type ViewQuery } from '../../app/routes';
import { periodAfterTimeTravel } from '../period/period-logic';
import { counterpart, homePlace, validOn } from './time-travel';

/**
 * The units a reader chooses among when the unit on screen did not exist on
 * the date chosen and its area went to several units of that date (a
 * district after 1 July 2025): each with the screen it opens and the units
 * of the old one that went into it.
 */
export interface TravelChoice {
  /** The unit that no longer exists on `at`. */
  place: PlaceSummary;
  at: string;
  /** Why it does not: its whole level was abolished (null when it merged or split). */
  abolished: Lineage['abolished'];
  options: { place: PlaceSummary; href: string; from: PlaceSummary[] }[];
}

export interface TimeTravel {
  /** Moves the screen to another date. */
  travel: (at: string) => Promise<void>;
  /** Set when the move waits for the reader to choose a unit. */
  choice: TravelChoice | null;
  dismiss: () => void;
}

/**
 * Moves the screen to another date. The place stays when it existed then;
 * otherwise its lineage names the unit of that time (Phường Trà Vinh in 2026
 * → the district Thành phố Trà Vinh in 2020), or the units its area went
 * into for the reader to choose (Thành phố Trà Vinh → its four wards of
 * today), falling back to the home province when the lineage names none.
 * The period follows the date when it was the latest one.
 */
export function useTimeTravel(route: Route, place: PlaceSummary | undefined, query: ViewQuery, today: string): TimeTravel {
  const [choice, setChoice] = useState<(TravelChoice & { fromAt: string }) | null>(null);
  const travel = useCallback(
    async (toAt: string) => {
      setChoice(null);
      const fromAt = query.at ?? today;
      const period = periodAfterTimeTravel(query.period, fromAt, toAt, today);
      const at = toAt === today ? undefined : toAt;
      const next: ViewQuery = { at, period, map: query.map };
      if (route.name === 'home' || !place) {
        navigate(homeUrl(next));
        return;
      }
      const urlOf = (code: string) => routeUrl(route.name === 'indicator' ? { name: 'indicator', code, indicator: route.indicator } : { name: 'place', code }, next);
      if (validOn(place, toAt)) {
        navigate(urlOf(place.code));
        return;
      }
      let lineage: Lineage | null = null;
      try {
        lineage = await api.lineage(place.code, fromAt).load();
      } catch {
        // Without the lineage, the home province of that date.
      }
      const found = lineage ? counterpart(lineage, toAt) : null;
      if (!found) navigate(urlOf(homePlace(toAt)));
      else if ('code' in found) navigate(urlOf(found.code));
      else
        setChoice({
          place,
          fromAt,
          at: toAt,
          abolished: lineage?.abolished ?? null,
          options: found.choose.map((p) => ({ place: p, href: urlOf(p.code), from: lineage?.abolished?.successors.find((s) => s.place.code === p.code)?.from ?? [] })),
        });
    },
    [route, place, query.at, query.period, query.map, today],
  );
  const dismiss = useCallback(() => setChoice(null), []);
  // A choice belongs to the screen it was offered on: gone once the reader is elsewhere.
  const current = choice && choice.place.code === place?.code && choice.fromAt === (query.at ?? today) ? choice : null;
  return { travel, choice: current, dismiss };
}
