import { describe, expect, it } from 'vitest';
import { dashboardIndicators, dashboardSchema, describeIssues, parseBoard, playlistSchema, type DashboardInput } from './dashboards';

const BOARD: DashboardInput = {
  version: 1,
  code: 'dieu-hanh',
  title: { vi: 'Điều hành', en: 'Operations' },
  panels: [
    { id: 'tiles', kind: 'tiles', indicators: ['BUD_REVENUE', 'TRD_RETAIL'], layout: { x: 0, y: 0, w: 12, h: 2 } },
    { id: 'chart', kind: 'chart', indicator: 'TRD_RETAIL', place: '86', period: { kind: 'quarter' }, layout: { x: 0, y: 2, w: 6, h: 4 } },
    { id: 'map', kind: 'map', indicator: 'PS_ON_TIME_RATE', period: { key: '2026-10' }, layout: { x: 6, y: 2, w: 6, h: 4 } },
    { id: 'feed', kind: 'feed', source: 'cases', layout: { x: 0, y: 6, w: 4, h: 3 } },
    { id: 'cchc', kind: 'par', layout: { x: 4, y: 6, w: 8, h: 3 } },
  ],
};

describe('dashboard documents', () => {
  it('reads a board, filling the place viewed, the latest month and the defaults', () => {
    const r = parseBoard(dashboardSchema, BOARD);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [tiles, chart, map, feed, par] = r.value.panels;
    expect(tiles).toMatchObject({ place: 'viewed', period: { kind: 'month' } });
    expect(chart).toMatchObject({ place: '86', period: { kind: 'quarter' } });
    expect(map).toMatchObject({ period: { key: '2026-10' } });
    expect(feed).toMatchObject({ source: 'cases', limit: 8 });
    // The PAR Index panel ranks departments, 20 of them, unless told otherwise; it names no indicator.
    expect(par).toMatchObject({ kind: 'par', unitKind: 'department', limit: 20 });
    expect(r.value.demo).toBe(false);
    expect(dashboardIndicators(r.value)).toEqual([
      { panel: 'tiles', path: 'panels.0.indicators.0', indicator: 'BUD_REVENUE' },
      { panel: 'tiles', path: 'panels.0.indicators.1', indicator: 'TRD_RETAIL' },
      { panel: 'chart', path: 'panels.1.indicator', indicator: 'TRD_RETAIL' },
      { panel: 'map', path: 'panels.2.indicator', indicator: 'PS_ON_TIME_RATE' },
    ]);
  });

  it('refuses bad documents with the path and the panel of each problem', () => {
    const bad = {
      ...BOARD,
      code: 'Điều hành',
      panels: [
        { ...BOARD.panels[0], indicators: [] },
        { ...BOARD.panels[1], period: { key: '2026-13' } },
        { ...BOARD.panels[2], layout: { x: 8, y: 0, w: 6, h: 2 } },
        { id: 'gauge', kind: 'gauge', layout: { x: 0, y: 0, w: 1, h: 1 } },
        { ...BOARD.panels[3], place: 'Vĩnh Long' },
      ],
    };
    const r = parseBoard(dashboardSchema, bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byPath = new Map(r.issues.map((i) => [i.path, i]));
    expect(byPath.get('code')?.message).toContain('lowercase letters');
    expect(byPath.get('panels.0.indicators')).toMatchObject({ panel: 'tiles', reason: 'too_small' });
    expect(byPath.get('panels.1.period.key')?.panel).toBe('chart');
    expect(byPath.get('panels.2.layout.w')).toMatchObject({ panel: 'map', message: expect.stringContaining('x + w ≤ 12') });
    expect(byPath.get('panels.3.kind')).toMatchObject({ panel: 'gauge' });
    expect(byPath.get('panels.4.place')?.message).toContain('place code');
    expect(describeIssues(r.issues, 2)).toMatch(/^document|^code/);
    expect(describeIssues(r.issues, 2)).toContain('more');
  });

  it('refuses two panels with one id, an unknown field and a future version', () => {
    const twice = parseBoard(dashboardSchema, { ...BOARD, panels: [BOARD.panels[0], BOARD.panels[0]] });
    expect(!twice.ok && twice.issues).toEqual([expect.objectContaining({ path: 'panels.1.id', panel: 'tiles', message: 'panel id tiles is used twice' })]);
    const extra = parseBoard(dashboardSchema, { ...BOARD, colour: 'red' });
    expect(!extra.ok && extra.issues[0]?.reason).toBe('unrecognized_keys');
    const future = parseBoard(dashboardSchema, { ...BOARD, version: 2 });
    expect(!future.ok && future.issues[0]?.path).toBe('version');
    expect(parseBoard(dashboardSchema, 'not a board').ok).toBe(false);
  });
});

describe('the PAR Index panel', () => {
  it('ranks communes when asked, and refuses another kind of unit, a limit below 3 and an indicator', () => {
    const panel = (over: Record<string, unknown>) => ({ ...BOARD, panels: [{ id: 'cchc', kind: 'par', layout: { x: 0, y: 0, w: 6, h: 4 }, ...over }] });
    const communes = parseBoard(dashboardSchema, panel({ unitKind: 'commune', limit: 3 }));
    expect(communes.ok && communes.value.panels[0]).toMatchObject({ unitKind: 'commune', limit: 3 });
    const province = parseBoard(dashboardSchema, panel({ unitKind: 'province' }));
    expect(!province.ok && province.issues[0]).toMatchObject({ path: 'panels.0.unitKind', panel: 'cchc' });
    const few = parseBoard(dashboardSchema, panel({ limit: 2 }));
    expect(!few.ok && few.issues[0]).toMatchObject({ path: 'panels.0.limit', reason: 'too_small' });
    const indicator = parseBoard(dashboardSchema, panel({ indicator: 'PS_ON_TIME_RATE' }));
    expect(!indicator.ok && indicator.issues[0]?.reason).toBe('unrecognized_keys');
  });
});

describe('the overdue directives panel', () => {
  it('lists 8 tasks unless told otherwise, names no indicator, and refuses a limit outside 1 to 50', () => {
    const panel = (over: Record<string, unknown>) => ({ ...BOARD, panels: [{ id: 'qua-han', kind: 'directives', layout: { x: 0, y: 0, w: 6, h: 4 }, ...over }] });
    const plain = parseBoard(dashboardSchema, panel({}));
    expect(plain.ok && plain.value.panels[0]).toMatchObject({ kind: 'directives', limit: 8 });
    expect(plain.ok && dashboardIndicators(plain.value)).toEqual([]);
    const many = parseBoard(dashboardSchema, panel({ limit: 51 }));
    expect(!many.ok && many.issues[0]).toMatchObject({ path: 'panels.0.limit', panel: 'qua-han', reason: 'too_big' });
    const indicator = parseBoard(dashboardSchema, panel({ indicator: 'PS_ON_TIME_RATE' }));
    expect(!indicator.ok && indicator.issues[0]?.reason).toBe('unrecognized_keys');
  });
});

describe('playlists', () => {
  it('reads a playlist and refuses an empty one or a too short interval', () => {
    const ok = parseBoard(playlistSchema, { code: 'tuong', title: { vi: 'Tường', en: 'Wall' }, items: [{ dashboard: 'dieu-hanh', seconds: 30 }] });
    expect(ok.ok).toBe(true);
    const empty = parseBoard(playlistSchema, { code: 'tuong', title: { vi: 'Tường', en: 'Wall' }, items: [] });
    expect(!empty.ok && empty.issues[0]).toMatchObject({ path: 'items', reason: 'too_small', panel: null });
    const quick = parseBoard(playlistSchema, { code: 'tuong', title: { vi: 'Tường', en: 'Wall' }, items: [{ dashboard: 'dieu-hanh', seconds: 1 }] });
    expect(!quick.ok && quick.issues[0]?.path).toBe('items.0.seconds');
  });
});
