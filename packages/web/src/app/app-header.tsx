import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { grantsAllow, type Permission } from '@watchfloor/core';
import { useI18n } from '../lib/i18n/i18n';
import { isMessageKey, type MessageKey } from '../lib/i18n/translate';
import { Link, navigate, useLocation } from '../lib/router';
import { signOut, useSession } from '../lib/session';
import { signInUrl } from '../lib/sign-in-url';
import { useLiveStatus } from '../lib/use-live';

/** The header's entries used most, always in the row. */
const PRIMARY = [
  { to: '/d', label: 'nav.dashboards' },
  { to: '/desk/cases', label: 'nav.cases' },
  { to: '/desk/alerts', label: 'nav.alerts' },
  { to: '/directives', label: 'nav.directives' },
] as const satisfies readonly { to: string; label: MessageKey }[];

/** The others, behind "More" on a wide screen and listed with the rest in a phone's menu; one that `needs` a permission only for who holds it. */
const SECONDARY: readonly { to: string; label: MessageKey; needs?: Permission }[] = [
  { to: '/par', label: 'nav.par' },
  { to: '/scorecards', label: 'nav.scorecards' },
  { to: '/reports', label: 'nav.reports' },
  { to: '/desk/data', label: 'nav.data' },
  { to: '/desk/dossiers', label: 'nav.dossiers', needs: 'read' },
  { to: '/wall', label: 'nav.wall' },
];

export function AppHeader() {
  const { t, lang, setLang } = useI18n();
  const other = lang === 'vi' ? 'en' : 'vi';
  const location = useLocation();
  const session = useSession();
  const secondary = SECONDARY.filter((e) => !e.needs || (session.status === 'user' && grantsAllow(session.user.roles, e.needs)));
  // On a phone the navigation, the account and the language fold into a menu; on a wide screen they are all in the row.
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  // On a wide screen the less used entries wait behind "More", so the row stays one line from a laptop to the wall.
  const [more, setMore] = useState(false);
  const moreButton = useRef<HTMLButtonElement>(null);
  const moreBox = useRef<HTMLDivElement>(null);
  useEffect(() => {
    setOpen(false);
    setMore(false);
  }, [location.href]);
  useEffect(() => {
    if (!more) return;
    // A click anywhere else closes it.
    const away = (e: PointerEvent) => {
      if (!moreBox.current?.contains(e.target as Node)) setMore(false);
    };
    document.addEventListener('pointerdown', away);
    return () => document.removeEventListener('pointerdown', away);
  }, [more]);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    if (more) {
      setMore(false);
      moreButton.current?.focus();
    } else if (open) {
      setOpen(false);
      button.current?.focus();
    }
  };
  const inMore = secondary.some((s) => location.pathname === s.to || location.pathname.startsWith(`${s.to}/`));
  return (
    <header className="app-header" onKeyDown={onKeyDown}>
      <Link to="/" className="brand">
        <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
          <path d="M6 22 12 12l5 7 4-5 5 8" fill="none" stroke="currentColor" strokeWidth="3" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        <span className="brand-name">{t('app.name')}</span>
        <span className="brand-sub">{t('app.subtitle')}</span>
      </Link>
      <LiveMark />
      <button type="button" ref={button} className="button menu-toggle" aria-expanded={open} aria-controls="app-menu" aria-label={t('nav.menu')} onClick={() => setOpen(!open)}>
        <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
          <path d={open ? 'M4 4l12 12M16 4 4 16' : 'M3 5h14M3 10h14M3 15h14'} fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
        </svg>
        <span className="menu-toggle-text">Menu</span>
      </button>
      <div id="app-menu" className={`app-menu${open ? ' is-open' : ''}`}>
        <nav className="app-nav" aria-label={t('nav.main')}>
          {PRIMARY.map((e) => (
            <Link key={e.to} to={e.to}>
              {t(e.label)}
            </Link>
          ))}
          {/* Tabbing away from the open group closes it; in the folded menu of a phone its entries are listed with the others. */}
          <div
            className="nav-more"
            ref={moreBox}
            onBlur={(e) => {
              if (more && !moreBox.current?.contains(e.relatedTarget as Node | null)) setMore(false);
            }}
          >
            <button
              type="button"
              ref={moreButton}
              className={`nav-more-toggle${inMore ? ' is-current' : ''}`}
              aria-expanded={more}
              aria-controls="nav-more-list"
              data-testid="nav-more"
              onClick={() => setMore(!more)}
            >
              {t('nav.more')}
              <svg viewBox="0 0 12 12" width="10" height="10" aria-hidden="true">
                <path d={more ? 'M2 8l4-4 4 4' : 'M2 4l4 4 4-4'} fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
              </svg>
            </button>
            <div id="nav-more-list" className={`nav-more-list${more ? ' is-open' : ''}`}>
              {secondary.map((e) => (
                <Link key={e.to} to={e.to}>
                  {t(e.label)}
                </Link>
              ))}
            </div>
          </div>
        </nav>
        <Account />
        <button type="button" className="button lang-switch" lang={other} aria-label={t('lang.switchLabel')} onClick={() => setLang(other)}>
          {t('lang.switch')}
        </button>
      </div>
    </header>
  );
}

/** Whether figures on screen update by themselves; a clear mark when they do not. */
function LiveMark() {
  const { t } = useI18n();
  const status = useLiveStatus();
  if (status === 'unsupported') return null;
  const live = status === 'live';
  return (
    <span className={`live-mark ${live ? 'is-live' : 'is-down'}`} role="status" data-testid="live-mark" data-live={live} title={t(live ? 'live.onHint' : 'live.offHint')}>
      <span className="live-dot" aria-hidden="true" />
      {t(live ? 'live.on' : status === 'connecting' ? 'live.connecting' : 'live.off')}
    </span>
  );
}

/** Who is signed in (name and roles) with the way out; the way in when nobody is. */
function Account() {
  const { t } = useI18n();
  const session = useSession();
  const location = useLocation();
  const [busy, setBusy] = useState(false);
  if (session.status === 'loading') return null;
  if (session.status === 'anonymous') {
    if (location.pathname === '/sign-in') return null;
    return (
      <Link to={signInUrl(location.href)} className="button account-sign-in" data-testid="sign-in-link">
        {t('nav.signIn')}
      </Link>
    );
  }
  const roles = [...new Set(session.user.roles.map((g) => g.role))].map((r) => {
    const key = `role.${r}`;
    return isMessageKey(key) ? t(key) : r;
  });
  const out = async () => {
    setBusy(true);
    try {
      await signOut();
    } catch {
      // The page is anonymous whatever the server answered.
    } finally {
      setBusy(false);
      navigate('/');
    }
  };
  return (
    <div className="account" role="group" aria-label={t('nav.account')} data-testid="account">
      <span className="account-who">
        {/* One's name opens one's notification preferences: no extra entry in the one-line header. */}
        <Link to="/account/messages" title={t('nav.messagePrefs')} data-testid="message-preferences-link">
          <strong data-testid="account-name">{session.user.displayName}</strong>
        </Link>
        {roles.length > 0 ? <span className="account-roles muted small">{t('nav.roles', { roles: roles.join(', ') })}</span> : null}
      </span>
      <button type="button" className="button small" onClick={() => void out()} disabled={busy}>
        {busy ? t('nav.signingOut') : t('nav.signOut')}
      </button>
    </div>
  );
}
