import { liveApi, liveEventSchema, type IndicatorDefinition, type LiveEvent } from '@watchfloor/core';
import { hrefOf } from './client';

/** What a screen shows, as far as live events are concerned. */
export interface LiveScreen {
  /** Codes of the indicators whose figures are on screen, or 'any' (an overview of all tiles). */
  indicators: readonly string[] | 'any';
  /** The screen lists cases. */
  cases?: boolean;
  /** The screen lists alerts. */
  alerts?: boolean;
  /** The screen shows leadership directives (their figures, the overdue tasks, a document). */
  directives?: boolean;
}

/**
 * Whether an event concerns what is on screen, so the screen re-reads. Places
 * and periods are not compared: figures roll up from communes to the
 * province and months into quarters and years, so any write of a shown
 * indicator may move a shown figure.
 */
export function concernsScreen(event: LiveEvent, screen: LiveScreen): boolean {
  switch (event.type) {
    case 'resync':
      return true;
    case 'case.changed':
      return screen.cases === true;
    case 'alert.changed':
      return screen.alerts === true;
    case 'directive.changed':
      return screen.directives === true;
    // A board's layout, not its figures: the dashboard screens follow these themselves.
    case 'dashboard.changed':
      return false;
    // Records, not figures: the figures they feed arrive as observations.changed.
    case 'dossiers.changed':
      return false;
    case 'observations.changed': {
      if (screen.indicators === 'any') return true;
      if (event.partial && event.indicators.length === 0) return true;
      const shown = screen.indicators;
      return event.indicators.some((i) => shown.includes(i));
    }
  }
}

/**
 * The indicators whose figures feed an indicator's screen: itself and, for
 * a rate, its numerator and denominator. Derived and composite indicators
 * may draw on a chain of others: any figure concerns them.
 */
export function indicatorInputs(def: IndicatorDefinition): readonly string[] | 'any' {
  if (def.kind !== 'base') return 'any';
  return def.ratio ? [def.code, def.ratio.numerator, def.ratio.denominator] : [def.code];
}

export type LiveStatus = 'connecting' | 'live' | 'down' | 'unsupported';

type Listener = (e: LiveEvent) => void;

/**
 * The one EventSource of the page, opened when the first screen subscribes.
 * EventSource reconnects by itself (after the server's `retry:` delay) and
 * sends Last-Event-ID, so the server replays what was missed; while it is
 * down, `status` says so and the header shows that figures are not live.
 */
class LiveConnection {
  private source: EventSource | null = null;
  private readonly listeners = new Set<Listener>();
  private readonly statusListeners = new Set<() => void>();
  status: LiveStatus = typeof EventSource === 'undefined' ? 'unsupported' : 'connecting';

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    this.open();
    return () => this.listeners.delete(listener);
  }

  onStatus(listener: () => void): () => void {
    this.statusListeners.add(listener);
    this.open();
    return () => this.statusListeners.delete(listener);
  }

  private open(): void {
    if (this.source || typeof EventSource === 'undefined') return;
    const source = new EventSource(hrefOf(liveApi.events));
    this.source = source;
    source.onopen = () => this.setStatus('live');
    // CONNECTING means EventSource is retrying by itself; CLOSED (a non-stream answer) needs a new one.
    source.onerror = () => {
      this.setStatus('down');
      if (source.readyState === EventSource.CLOSED) {
        this.source = null;
        setTimeout(() => this.open(), 5000);
      }
    };
    source.onmessage = (m: MessageEvent<string>) => {
      let body: unknown;
      try {
        body = JSON.parse(m.data);
      } catch {
        return;
      }
      const event = liveEventSchema.safeParse(body);
      if (event.success) for (const l of this.listeners) l(event.data);
    };
  }

  private setStatus(s: LiveStatus): void {
    if (this.status === s) return;
    this.status = s;
    for (const l of this.statusListeners) l();
  }
}

export const liveConnection = new LiveConnection();
