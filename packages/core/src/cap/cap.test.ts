import { describe, expect, it } from 'vitest';
import { capAlertSeverity, capPolygonsOf, capReferences, capSeverityToAlert, parseCapCircle, parseCapPolygon, toCapDateTime, alertSeverityToCap, capInstant } from './index';
import type { Polygon } from 'geojson';

describe('CAP severity on our scale', () => {
  it('maps severity by urgency, Past events to information', () => {
    expect(capSeverityToAlert('Extreme', 'Future')).toBe('critical');
    expect(capSeverityToAlert('Severe', 'Immediate')).toBe('critical');
    expect(capSeverityToAlert('Severe', 'Expected')).toBe('critical');
    expect(capSeverityToAlert('Severe', 'Future')).toBe('warning');
    expect(capSeverityToAlert('Moderate', 'Immediate')).toBe('warning');
    expect(capSeverityToAlert('Minor', 'Immediate')).toBe('info');
    expect(capSeverityToAlert('Unknown', 'Unknown')).toBe('info');
    expect(capSeverityToAlert('Extreme', 'Past')).toBe('info');
  });

  it('takes the most severe info block, and maps ours back to CAP consistently', () => {
    const info = (severity: 'Minor' | 'Extreme', urgency: 'Immediate' | 'Past') => ({ severity, urgency }) as never;
    expect(capAlertSeverity({ info: [] })).toBe('info');
    expect(capAlertSeverity({ info: [info('Minor', 'Immediate'), info('Extreme', 'Immediate')] })).toBe('critical');
    for (const s of ['info', 'warning', 'critical'] as const) {
      const { severity, urgency } = alertSeverityToCap(s);
      expect(capSeverityToAlert(severity, urgency)).toBe(s);
    }
  });
});

describe('CAP dates', () => {
  it('writes instants with an offset, never Z', () => {
    expect(toCapDateTime(new Date('2026-11-28T03:00:00.250Z'))).toBe('2026-11-28T10:00:00+07:00');
    expect(toCapDateTime(new Date('2026-11-28T03:00:00Z'), 0)).toBe('2026-11-28T03:00:00+00:00');
    expect(toCapDateTime(new Date('2003-06-12T05:39:00Z'), -7 * 60)).toBe('2003-06-11T22:39:00-07:00');
    expect(capInstant('2003-06-11T22:39:00-07:00')).toBe('2003-06-12T05:39:00.000Z');
  });

  it('reads references, skipping malformed entries', () => {
    expect(capReferences('a@b,ID-1,2026-11-28T09:00:00+07:00  a@b,ID-2,2026-11-28T09:30:00+07:00 junk')).toEqual([
      { sender: 'a@b', identifier: 'ID-1', sent: '2026-11-28T09:00:00+07:00' },
      { sender: 'a@b', identifier: 'ID-2', sent: '2026-11-28T09:30:00+07:00' },
    ]);
    expect(capReferences(undefined)).toEqual([]);
  });
});

describe('CAP geometry', () => {
  it('reads a polygon as lat,lon into GeoJSON lon,lat, and refuses broken ones', () => {
    const p = parseCapPolygon('38.47,-120.14 38.34,-119.95 38.52,-119.74 38.62,-119.89 38.47,-120.14');
    expect(p).toEqual({ ok: true, value: { type: 'Polygon', coordinates: [[[-120.14, 38.47], [-119.95, 38.34], [-119.74, 38.52], [-119.89, 38.62], [-120.14, 38.47]]] } });
    expect(parseCapPolygon('1,1 2,2 1,1')).toMatchObject({ ok: false, reason: expect.stringMatching(/at least 4/) });
    expect(parseCapPolygon('1,1 2,2 3,1 1,2')).toMatchObject({ ok: false, reason: expect.stringMatching(/first point/) });
    expect(parseCapPolygon('1,1 2;2 3,1 1,1')).toMatchObject({ ok: false, reason: expect.stringMatching(/"2;2"/) });
    expect(parseCapPolygon('91,1 2,2 3,1 91,1')).toMatchObject({ ok: false });
  });

  it('reads a circle, radius in km; radius 0 is a point', () => {
    const c = parseCapCircle('32.9525,-115.5527 0');
    expect(c).toEqual({ ok: true, value: { lat: 32.9525, lon: -115.5527, radiusKm: 0, area: null } });
    const r = parseCapCircle('9.935,106.343 3');
    if (!r.ok || !r.value.area) throw new Error('expected a circle');
    const lats = r.value.area.coordinates[0]!.map((p) => p[1]!);
    // 3 km is 0.027° of latitude.
    expect(Math.max(...lats) - 9.935).toBeCloseTo(0.027, 3);
    expect(parseCapCircle('9.9,106.3')).toMatchObject({ ok: false });
  });

  it('writes boundaries as closed lat,lon rings, simplified under the point budget', () => {
    const ring: [number, number][] = [];
    for (let i = 0; i < 1000; i++) {
      const a = (2 * Math.PI * i) / 1000;
      ring.push([106.34 + 0.05 * Math.cos(a) + 0.0005 * Math.sin(37 * a), 9.93 + 0.05 * Math.sin(a)]);
    }
    ring.push(ring[0]!);
    const area: Polygon = { type: 'Polygon', coordinates: [ring] };
    const [cap] = capPolygonsOf(area, 200);
    const points = cap!.split(' ');
    expect(points.length).toBeLessThanOrEqual(200);
    expect(points.length).toBeGreaterThanOrEqual(4);
    expect(points[0]).toBe(points.at(-1));
    expect(points[0]).toBe('9.93,106.39');
    const small: Polygon = { type: 'Polygon', coordinates: [[[106.3, 9.9], [106.31, 9.9], [106.31, 9.91], [106.3, 9.9]]] };
    expect(capPolygonsOf(small)).toEqual(['9.9,106.3 9.9,106.31 9.91,106.31 9.9,106.3']);
  });
});
