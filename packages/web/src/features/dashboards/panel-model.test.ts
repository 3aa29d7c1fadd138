import { dashboardSchema, type Dashboard } from '@watchfloor/core';
import { describe, expect, it } from 'vitest';
import { addPanel, blankBoard, boardLiveScreen, gridArea, movePanel, newPanelId, panelPeriodKey, panelPlace, readingOrder, removePanel, resizePanel } from './panel-model';

const board: Dashboard = dashboardSchema.parse({
  version: 1,
  code: 'b',
  title: { vi: 'B', en: 'B' },
  panels: [
    { id: 'so-lieu', kind: 'tiles', indicators: ['BUD_REVENUE', 'TRD_RETAIL'], layout: { x: 0, y: 0, w: 12, h: 2 } },
    { id: 'map', kind: 'map', indicator: 'PS_ON_TIME_RATE', place: '86', layout: { x: 6, y: 2, w: 6, h: 4 } },
    { id: 'chart', kind: 'chart', indicator: 'TRD_RETAIL', period: { kind: 'quarter' }, layout: { x: 0, y: 2, w: 6, h: 4 } },
    { id: 'feed', kind: 'feed', source: 'cases', layout: { x: 0, y: 6, w: 12, h: 2 } },
  ],
});

describe('the panel model', () => {
  it('binds a panel to the place viewed or its own, and to the latest ended period of its kind', () => {
    expect(panelPlace({ place: 'viewed' }, '84')).toBe('84');
    expect(panelPlace({ place: '86' }, '84')).toBe('86');
    expect(panelPeriodKey({ kind: 'month' }, '2026-11-28')).toBe('2026-10');
    expect(panelPeriodKey({ kind: 'quarter' }, '2026-11-28')).toBe('2026-Q3');
    expect(panelPeriodKey({ kind: 'ytd' }, '2026-11-28')).toBe('2026-YTD-10');
    expect(panelPeriodKey({ kind: 'year' }, '2026-11-28')).toBe('2025');
    expect(panelPeriodKey({ kind: 'month' }, '2025-06-30')).toBe('2025-05');
    expect(panelPeriodKey({ key: '2024-Q2' }, '2026-11-28')).toBe('2024-Q2');
  });

  it('places panels on the grid and lists them in reading order', () => {
    expect(gridArea({ x: 6, y: 2, w: 6, h: 4 })).toEqual({ gridColumn: '7 / span 6', gridRow: '3 / span 4' });
    expect(readingOrder(board.panels).map((p) => p.id)).toEqual(['so-lieu', 'chart', 'map', 'feed']);
  });

  it('follows the indicators, cases, alerts and directives a board shows', () => {
    expect(boardLiveScreen(board)).toEqual({ indicators: ['BUD_REVENUE', 'TRD_RETAIL', 'PS_ON_TIME_RATE'], cases: true, alerts: false, directives: false });
  });

  it('moves and resizes panels by cells without leaving the grid', () => {
    const moved = movePanel(board, 'map', 3, -5);
    expect(moved.panels[1]?.layout).toEqual({ x: 6, y: 0, w: 6, h: 4 });
    expect(movePanel(board, 'chart', -1, 1).panels[2]?.layout).toEqual({ x: 0, y: 3, w: 6, h: 4 });
    expect(resizePanel(board, 'map', 2, 1).panels[1]?.layout).toEqual({ x: 6, y: 2, w: 6, h: 5 });
    expect(resizePanel(board, 'chart', -10, -10).panels[2]?.layout).toEqual({ x: 0, y: 2, w: 1, h: 1 });
    // The board itself is not changed: the editor keeps an undoable history of values.
    expect(board.panels[1]?.layout).toEqual({ x: 6, y: 2, w: 6, h: 4 });
    // Every result still reads under the schema.
    expect(dashboardSchema.safeParse(resizePanel(movePanel(board, 'map', 9, 99), 'map', 9, 9)).success).toBe(true);
  });

  it('adds panels below the others with fresh ids, and removes them', () => {
    expect(newPanelId(board, 'map')).toBe('map-1');
    const added = addPanel(addPanel(board, 'chart', 'BUD_REVENUE'), 'chart', 'TRD_EXPORT');
    expect(added.panels.slice(-2).map((p) => [p.id, p.layout.y])).toEqual([
      ['chart-1', 8],
      ['chart-2', 12],
    ]);
    const feed = addPanel(blankBoard('moi'), 'feed', 'X').panels[0];
    expect(feed).toMatchObject({ kind: 'feed', source: 'cases', place: 'viewed', period: { kind: 'month' }, layout: { x: 0, y: 0 } });
    // The PAR Index panel names no indicator: it ranks the departments of the latest cycle, 6 columns by 5 rows to start with.
    const par = addPanel(blankBoard('moi'), 'par', 'X');
    expect(par.panels[0]).toMatchObject({ id: 'par-1', kind: 'par', unitKind: 'department', limit: 20, layout: { x: 0, y: 0, w: 6, h: 5 } });
    expect(par.panels[0]).not.toHaveProperty('indicator');
    expect(dashboardSchema.safeParse(par).success).toBe(true);
    expect(dashboardSchema.safeParse(added).success).toBe(true);
    expect(removePanel(added, 'chart-1').panels.map((p) => p.id)).toEqual(['so-lieu', 'map', 'chart', 'feed', 'chart-2']);
  });
});
