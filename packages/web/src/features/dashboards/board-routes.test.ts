import { describe, expect, it } from 'vitest';
import { dashboardEditUrl, dashboardUrl, parseRoute, routeUrl, wallUrl } from '../../app/routes';

describe('dashboard and wall URLs', () => {
  it('reads the dashboard, editor and wall screens from their paths', () => {
    expect(parseRoute('/d')).toEqual({ name: 'dashboards' });
    expect(parseRoute('/d/demo-dieu-hanh')).toEqual({ name: 'dashboard', code: 'demo-dieu-hanh' });
    expect(parseRoute('/d/demo-dieu-hanh/edit/')).toEqual({ name: 'dashboardEdit', code: 'demo-dieu-hanh' });
    expect(parseRoute('/wall')).toEqual({ name: 'walls' });
    expect(parseRoute('/wall/demo')).toEqual({ name: 'wall', playlist: 'demo' });
    expect(parseRoute('/d/x/y')).toEqual({ name: 'notFound' });
    expect(parseRoute('/wall/%E0%A4%A')).toEqual({ name: 'notFound' });
  });

  it('writes shareable URLs', () => {
    expect(dashboardUrl('giao-ban')).toBe('/d/giao-ban');
    expect(dashboardUrl('giao-ban', { place: '29242', at: '2025-06-30' })).toBe('/d/giao-ban?place=29242&at=2025-06-30');
    expect(dashboardEditUrl('giao-ban')).toBe('/d/giao-ban/edit');
    expect(wallUrl('demo')).toBe('/wall/demo');
    expect(routeUrl({ name: 'dashboard', code: 'a' }, { at: '2026-01-01' })).toBe('/d/a?at=2026-01-01');
  });
});
