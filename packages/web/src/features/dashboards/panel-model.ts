import { GRID_COLUMNS, MAX_GRID_ROWS, dashboardIndicators, type Dashboard, type Panel, type PanelKind, type PanelLayout } from '@watchfloor/core';

/**
 * What a dashboard's panels mean on screen, and how the editor changes
 * them: plain functions over the core document, tested on their own.
 */

/** The place and the period key a panel asks for: core's, so the server's export of a board reads what its panels show. */
export { panelPeriodKey, panelPlace } from '@watchfloor/core';

/** The CSS grid placement of a panel (1-based lines). */
export function gridArea(layout: PanelLayout): { gridColumn: string; gridRow: string } {
  return { gridColumn: `${layout.x + 1} / span ${layout.w}`, gridRow: `${layout.y + 1} / span ${layout.h}` };
}

/** The indicators whose figures are on a board, for live updates; boards with a feed also follow cases and alerts. */
export function boardLiveScreen(board: Dashboard): { indicators: string[]; cases: boolean; alerts: boolean; directives: boolean } {
  return {
    indicators: [...new Set(dashboardIndicators(board).map((r) => r.indicator))],
    cases: board.panels.some((p) => p.kind === 'feed' && p.source === 'cases'),
    alerts: board.panels.some((p) => p.kind === 'feed' && p.source === 'alerts'),
    directives: board.panels.some((p) => p.kind === 'directives'),
  };
}

const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));

/** A layout kept inside the grid: at least 1×1, within the 12 columns and the rows allowed. */
export function clampLayout(l: PanelLayout): PanelLayout {
  const w = clamp(l.w, 1, GRID_COLUMNS);
  const h = clamp(l.h, 1, 12);
  return { w, h, x: clamp(l.x, 0, GRID_COLUMNS - w), y: clamp(l.y, 0, MAX_GRID_ROWS - 1) };
}

/** Moves a panel by whole cells, staying inside the grid. */
export function movePanel(board: Dashboard, id: string, dx: number, dy: number): Dashboard {
  return mapPanel(board, id, (p) => ({ ...p, layout: clampLayout({ ...p.layout, x: p.layout.x + dx, y: p.layout.y + dy }) }));
}

/** Grows or shrinks a panel by whole cells, staying inside the grid. */
export function resizePanel(board: Dashboard, id: string, dw: number, dh: number): Dashboard {
  return mapPanel(board, id, (p) => {
    const w = clamp(p.layout.w + dw, 1, GRID_COLUMNS - p.layout.x);
    return { ...p, layout: clampLayout({ ...p.layout, w, h: p.layout.h + dh }) };
  });
}

export function removePanel(board: Dashboard, id: string): Dashboard {
  return { ...board, panels: board.panels.filter((p) => p.id !== id) };
}

export function updatePanel(board: Dashboard, id: string, change: (p: Panel) => Panel): Dashboard {
  return mapPanel(board, id, change);
}

function mapPanel(board: Dashboard, id: string, change: (p: Panel) => Panel): Dashboard {
  return { ...board, panels: board.panels.map((p) => (p.id === id ? change(p) : p)) };
}

/** The first row below every panel: where a new panel goes. */
export function nextFreeRow(board: Dashboard): number {
  return board.panels.reduce((row, p) => Math.max(row, p.layout.y + p.layout.h), 0);
}

/** A new id of the kind not used on the board: tiles-1, chart-2 … */
export function newPanelId(board: Dashboard, kind: PanelKind): string {
  const used = new Set(board.panels.map((p) => p.id));
  let n = 1;
  while (used.has(`${kind}-${n}`)) n++;
  return `${kind}-${n}`;
}

/** Sizes a new panel of each kind starts with. */
const DEFAULT_SIZE: Record<PanelKind, { w: number; h: number }> = {
  tiles: { w: 12, h: 2 },
  chart: { w: 6, h: 4 },
  map: { w: 6, h: 4 },
  ranking: { w: 6, h: 4 },
  feed: { w: 12, h: 2 },
  par: { w: 6, h: 5 },
  directives: { w: 6, h: 4 },
};

/** Whether a panel of a kind shows an indicator (to be picked when it is added); feeds, the PAR Index and the overdue directives show none. */
export function namesIndicator(kind: PanelKind): boolean {
  return kind !== 'feed' && kind !== 'par' && kind !== 'directives';
}

/** A new panel at the bottom of the board, bound to the place viewed and the latest month. */
export function addPanel(board: Dashboard, kind: PanelKind, indicator: string): Dashboard {
  const base = { id: newPanelId(board, kind), place: 'viewed' as const, period: { kind: 'month' as const }, layout: clampLayout({ x: 0, y: nextFreeRow(board), ...DEFAULT_SIZE[kind] }) };
  const panel: Panel =
    kind === 'tiles'
      ? { ...base, kind, indicators: [indicator] }
      : kind === 'feed'
        ? { ...base, kind, source: 'cases', limit: 8 }
        : kind === 'par'
          ? { ...base, kind, unitKind: 'department', limit: 20 }
          : kind === 'directives'
            ? { ...base, kind, limit: 8 }
            : kind === 'ranking'
            ? { ...base, kind, indicator, limit: 10 }
            : { ...base, kind, indicator };
  return { ...board, panels: [...board.panels, panel] };
}

/** A blank board for a new code. */
export function blankBoard(code: string): Dashboard {
  return { version: 1, code, title: { vi: code, en: code }, demo: false, panels: [] };
}

/** The panels in reading order (top to bottom, left to right): the order of the editor's list and of keyboard focus. */
export function readingOrder(panels: readonly Panel[]): Panel[] {
  return [...panels].sort((a, b) => a.layout.y - b.layout.y || a.layout.x - b.layout.x);
}
