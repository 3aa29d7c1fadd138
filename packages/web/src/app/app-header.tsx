import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useI18n } from '../lib/i18n/i18n';
import { isMessageKey } from '../lib/i18n/translate';
import { Link, navigate, useLocation } from '../lib/router';
import { signOut, useSession } from '../lib/session';
import { signInUrl } from '../lib/sign-in-url';
import { useLiveStatus } from '../lib/use-live';

export function AppHeader() {
  const { t, lang, setLang } = useI18n();
  const other = lang === 'vi' ? 'en' : 'vi';
  const location = useLocation();
  // On a phone the navigation, the account and the language fold into a menu; on a wide screen they are all in the row.
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => setOpen(false), [location.href]);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && open) {
      setOpen(false);
      button.current?.focus();
    }
  };
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
          <Link to="/d">{t('nav.dashboards')}</Link>
          <Link to="/wall">{t('nav.wall')}</Link>
          <Link to="/desk/cases">{t('nav.cases')}</Link>
          <Link to="/desk/alerts">{t('nav.alerts')}</Link>
          <Link to="/desk/data">{t('nav.data')}</Link>
          <Link to="/scorecards">{t('nav.scorecards')}</Link>
          <Link to="/par">{t('nav.par')}</Link>
          <Link to="/directives">{t('nav.directives')}</Link>
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
        <strong data-testid="account-name">{session.user.displayName}</strong>
        {roles.length > 0 ? <span className="account-roles muted small">{t('nav.roles', { roles: roles.join(', ') })}</span> : null}
      </span>
      <button type="button" className="button small" onClick={() => void out()} disabled={busy}>
        {busy ? t('nav.signingOut') : t('nav.signOut')}
      </button>
    </div>
  );
}
