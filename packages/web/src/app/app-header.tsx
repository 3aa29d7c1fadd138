import { useI18n } from '../lib/i18n/i18n';
import { Link } from '../lib/router';
import { useLiveStatus } from '../lib/use-live';

export function AppHeader() {
  const { t, lang, setLang } = useI18n();
  const other = lang === 'vi' ? 'en' : 'vi';
  return (
    <header className="app-header">
      <Link to="/" className="brand">
        <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
          <path d="M6 22 12 12l5 7 4-5 5 8" fill="none" stroke="currentColor" strokeWidth="3" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        <span className="brand-name">{t('app.name')}</span>
        <span className="brand-sub">{t('app.subtitle')}</span>
      </Link>
      <nav className="app-nav" aria-label={t('nav.main')}>
        <Link to="/d">{t('nav.dashboards')}</Link>
        <Link to="/wall">{t('nav.wall')}</Link>
        <Link to="/desk/cases">{t('nav.cases')}</Link>
        <Link to="/desk/alerts">{t('nav.alerts')}</Link>
        <Link to="/desk/data">{t('nav.data')}</Link>
        <Link to="/scorecards">{t('nav.scorecards')}</Link>
      </nav>
      <LiveMark />
      <button type="button" className="button lang-switch" lang={other} aria-label={t('lang.switchLabel')} onClick={() => setLang(other)}>
        {t('lang.switch')}
      </button>
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
