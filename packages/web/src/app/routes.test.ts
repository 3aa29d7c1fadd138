import { describe, expect, it } from 'vitest';
import { indicatorUrl, parResultsUrl, parseRoute, placeUrl, playlistEditUrl, readQuery, routeUrl } from './routes';

describe('routes', () => {
  it('reads every screen from its path', () => {
    expect(parseRoute('/')).toEqual({ name: 'home' });
    expect(parseRoute('/p/86')).toEqual({ name: 'place', code: '86' });
    expect(parseRoute('/p/86/')).toEqual({ name: 'place', code: '86' });
    expect(parseRoute('/p/29242/i/PS_ON_TIME_RATE')).toEqual({ name: 'indicator', code: '29242', indicator: 'PS_ON_TIME_RATE' });
    expect(parseRoute('/p/%E0%A4%A')).toEqual({ name: 'notFound' });
    expect(parseRoute('/nowhere')).toEqual({ name: 'notFound' });
  });

  it('writes shareable URLs with only the parameters set, in a stable order', () => {
    expect(placeUrl('86')).toBe('/p/86');
    expect(placeUrl('84', { at: '2020-06-30', period: '2020-05', map: undefined })).toBe('/p/84?period=2020-05&at=2020-06-30');
    expect(indicatorUrl('29242', 'PS_ON_TIME_RATE', { sel: '2026-10' })).toBe('/p/29242/i/PS_ON_TIME_RATE?sel=2026-10');
    expect(routeUrl({ name: 'home' }, { at: '2020-01-01' })).toBe('/?at=2020-01-01');
  });

  it('reads the playlist screens and the sign-in screen', () => {
    expect(parseRoute('/playlists')).toEqual({ name: 'playlists' });
    expect(parseRoute('/playlists/tuong-chinh/edit')).toEqual({ name: 'playlistEdit', code: 'tuong-chinh' });
    expect(parseRoute('/playlists/tuong-chinh')).toEqual({ name: 'notFound' });
    expect(parseRoute('/sign-in')).toEqual({ name: 'signIn' });
    expect(parseRoute('/account/messages')).toEqual({ name: 'messagePreferences' });
    expect(routeUrl({ name: 'messagePreferences' })).toBe('/account/messages');
    expect(parseRoute('/reports')).toEqual({ name: 'reports' });
    expect(routeUrl({ name: 'reports' })).toBe('/reports');
    expect(playlistEditUrl('tuong chinh')).toBe('/playlists/tuong%20chinh/edit');
    expect(routeUrl({ name: 'playlistEdit', code: 'tuong-chinh' })).toBe('/playlists/tuong-chinh/edit');
  });

  it('reads the PAR Index results screens', () => {
    expect(parseRoute('/par')).toEqual({ name: 'parResults', id: null });
    expect(parseRoute('/par/')).toEqual({ name: 'parResults', id: null });
    expect(parseRoute('/par/12')).toEqual({ name: 'parResults', id: '12' });
    expect(parseRoute('/par/abc')).toEqual({ name: 'notFound' });
    expect(parResultsUrl(null)).toBe('/par');
    expect(parResultsUrl(12, 'department')).toBe('/par/12');
    expect(parResultsUrl(12, 'commune')).toBe('/par/12?kind=commune');
    expect(routeUrl({ name: 'parResults', id: '3' })).toBe('/par/3');
  });

  it('reads the PAR Index desks and a unit’s assessment', () => {
    expect(parseRoute('/par/desk')).toEqual({ name: 'parDesks' });
    expect(parseRoute('/par/7/desk')).toEqual({ name: 'parCycleDesk', id: 7 });
    expect(parseRoute('/par/7/units/VL-SNV')).toEqual({ name: 'parAssessment', id: 7, unit: 'VL-SNV' });
    expect(parseRoute('/par/7/units/UBND%2029242')).toEqual({ name: 'parAssessment', id: 7, unit: 'UBND 29242' });
    expect(parseRoute('/par/x/units/VL-SNV')).toEqual({ name: 'notFound' });
    expect(routeUrl({ name: 'parAssessment', id: 7, unit: 'UBND 29242' })).toBe('/par/7/units/UBND%2029242');
    expect(routeUrl({ name: 'parCycleDesk', id: 7 })).toBe('/par/7/desk');
  });

  it('reads the query, ignoring empty values', () => {
    expect(readQuery('?period=2026-Q3&at=&map=PS_ON_TIME_RATE')).toEqual({ at: undefined, period: '2026-Q3', map: 'PS_ON_TIME_RATE', sel: undefined });
  });
});
