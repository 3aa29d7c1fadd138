import { panelSchema, type Panel } from '@watchfloor/core';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '../../lib/i18n/i18n';
import type { SignedInAccess } from '../../lib/sign-in-prompt';
import { boardApi } from './board-api';
import { FeedPanelView, type BoardView } from './panels';

const VIEW: BoardView = { viewed: '86', at: '2026-11-28', atParam: undefined, generation: 0, wall: false };

function feedPanel(source: 'cases' | 'alerts'): Extract<Panel, { kind: 'feed' }> {
  const panel = panelSchema.parse({ id: `feed-${source}`, kind: 'feed', source, layout: { x: 0, y: 0, w: 6, h: 3 } });
  if (panel.kind !== 'feed') throw new Error('not a feed panel');
  return panel;
}

function render(source: 'cases' | 'alerts', access: SignedInAccess, lang: 'vi' | 'en' = 'vi'): string {
  return renderToStaticMarkup(
    <I18nProvider initial={lang}>
      <FeedPanelView panel={feedPanel(source)} view={VIEW} access={access} />
    </I18nProvider>,
  );
}

afterEach(() => vi.restoreAllMocks());

describe('a feed panel of a board, by who is signed in', () => {
  it('offers the anonymous to sign in, under the panel’s title, and reads no case nor alert', () => {
    const cases = vi.spyOn(boardApi, 'cases');
    const alerts = vi.spyOn(boardApi, 'alerts');
    for (const source of ['cases', 'alerts'] as const) {
      const html = render(source, 'signIn');
      expect(html).toContain('<h2 id="panel-feed-' + source + '-title">');
      expect(html).toContain('Đăng nhập để xem phản ánh và cảnh báo');
      expect(html).toContain('href="/sign-in"');
    }
    expect(render('alerts', 'signIn', 'en')).toContain('Sign in to see reports and alerts');
    expect(cases).not.toHaveBeenCalled();
    expect(alerts).not.toHaveBeenCalled();
  });

  it('reads the cases of the province, or the alerts, for a signed-in user', () => {
    const cases = vi.spyOn(boardApi, 'cases');
    const alerts = vi.spyOn(boardApi, 'alerts');
    expect(render('cases', 'read')).not.toContain('sign-in-prompt');
    expect(cases).toHaveBeenCalledWith({ place: '86', limit: 8 });
    render('alerts', 'read');
    expect(alerts).toHaveBeenCalledWith({ limit: 8 });
  });

  it('asks for nothing while the session loads', () => {
    const cases = vi.spyOn(boardApi, 'cases');
    expect(render('cases', 'wait')).not.toContain('sign-in-prompt');
    expect(cases).not.toHaveBeenCalled();
  });
});
