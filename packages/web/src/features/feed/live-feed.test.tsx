import type { PlaceDetail } from '@watchfloor/core';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '../../lib/i18n/i18n';
import type { Language } from '../../lib/i18n/translate';
import { signedInAccess, type SignedInAccess } from '../../lib/sign-in-prompt';
import { leadersApi } from './feed-api';
import { LiveFeedPanel } from './live-feed';

const WARD: PlaceDetail = {
  code: '29242',
  name: 'Phường Trà Vinh',
  nameEn: null,
  level: 'commune',
  parentCode: '86',
  validFrom: '2025-07-01',
  validTo: null,
  areaKm2: null,
  hasGeometry: true,
  ancestors: [],
  children: [],
  source: null,
};

function render(access: SignedInAccess, lang: Language = 'vi'): string {
  return renderToStaticMarkup(
    <I18nProvider initial={lang}>
      <LiveFeedPanel place={WARD} now={new Date('2026-11-28T03:00:00Z')} access={access} />
    </I18nProvider>,
  );
}

afterEach(() => vi.restoreAllMocks());

describe('who may see cases and alerts', () => {
  it('reads them for a signed-in user, offers to sign in to the anonymous, and waits while the session loads', () => {
    expect(signedInAccess({ status: 'user', user: { login: 'demo.leader', displayName: 'Lãnh đạo', roles: [{ role: 'leader', organisationCode: null, placeCode: null }], mustChangePassword: false } })).toBe('read');
    expect(signedInAccess({ status: 'anonymous' })).toBe('signIn');
    expect(signedInAccess({ status: 'loading' })).toBe('wait');
  });
});

describe('the live feed, by who is signed in', () => {
  it('asks nobody signed in to sign in, in a line with the link, and asks the server for nothing', () => {
    const alerts = vi.spyOn(leadersApi, 'alerts');
    const cases = vi.spyOn(leadersApi, 'cases');
    const html = render('signIn');
    expect(html).toContain('data-testid="sign-in-prompt"');
    expect(html).toContain('Đăng nhập để xem phản ánh và cảnh báo');
    expect(html).toContain('href="/sign-in"');
    // No desk links (they would only ask to sign in again), no spinner.
    expect(html).not.toContain('/desk/');
    expect(html).not.toContain('role="status"');
    expect(render('signIn', 'en')).toContain('Sign in to see reports and alerts');
    expect(alerts).not.toHaveBeenCalled();
    expect(cases).not.toHaveBeenCalled();
  });

  it('reads the alerts and the cases of the place for a signed-in user, with the links to the desks', () => {
    const alerts = vi.spyOn(leadersApi, 'alerts');
    const cases = vi.spyOn(leadersApi, 'cases');
    const html = render('read');
    expect(html).not.toContain('sign-in-prompt');
    expect(html).toContain('role="status"');
    expect(html).toContain('href="/desk/cases?place=29242"');
    expect(alerts).toHaveBeenCalled();
    expect(cases).toHaveBeenCalledWith('29242', expect.any(Number));
  });

  it('neither asks nor offers anything while the session is loading', () => {
    const alerts = vi.spyOn(leadersApi, 'alerts');
    const html = render('wait');
    expect(html).not.toContain('sign-in-prompt');
    expect(html).toContain('role="status"');
    expect(alerts).not.toHaveBeenCalled();
  });
});
