import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '../../lib/i18n/i18n';
import type { Language } from '../../lib/i18n/translate';
import type { SignedInAccess } from '../../lib/sign-in-prompt';
import { boardApi } from '../dashboards/board-api';
import { WallGate } from './wall-screen';

function render(access: SignedInAccess, lang: Language = 'vi'): string {
  return renderToStaticMarkup(
    <I18nProvider initial={lang}>
      <WallGate access={access} playlist="demo" today="2026-11-28" />
    </I18nProvider>,
  );
}

afterEach(() => vi.restoreAllMocks());

describe('the video wall, by who is signed in', () => {
  it('shows the anonymous a large sign-in message that comes back to the same playlist, and reads no playlist', () => {
    const playlist = vi.spyOn(boardApi, 'playlist');
    const html = render('signIn');
    expect(html).toContain('data-testid="wall-sign-in"');
    expect(html).toMatch(/<h1 id="wall-sign-in-title">Đăng nhập để trình chiếu màn hình tường<\/h1>/);
    expect(html).toContain('href="/sign-in?next=%2Fwall%2Fdemo"');
    expect(render('signIn', 'en')).toContain('Sign in to start the video wall');
    expect(playlist).not.toHaveBeenCalled();
  });

  it('reads the playlist once someone is signed in, and waits while the session loads', () => {
    const playlist = vi.spyOn(boardApi, 'playlist');
    expect(render('wait')).not.toContain('wall-sign-in');
    expect(playlist).not.toHaveBeenCalled();
    const html = render('read');
    expect(html).not.toContain('wall-sign-in');
    expect(playlist).toHaveBeenCalledWith('demo');
  });
});
