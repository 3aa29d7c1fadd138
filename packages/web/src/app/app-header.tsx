import { useI18n } from '../lib/i18n/i18n';
import { Link } from '../lib/router';

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
      <button type="button" className="button lang-switch" lang={other} aria-label={t('lang.switchLabel')} onClick={() => setLang(other)}>
        {t('lang.switch')}
      </button>
    </header>
  );
}
