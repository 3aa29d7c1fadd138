import { useI18n } from './i18n/i18n';
import { isMessageKey } from './i18n/translate';
import { Link } from './router';
import type { ApiError } from './api';

/** What a reader is told when something cannot be shown: in their language, with the way back, never a blank screen. */
export function errorMessageKey(code: string): string {
  const key = `error.${code}`;
  return isMessageKey(key) ? key : 'error.unexpected';
}

export function ErrorPanel({ error, onRetry, backTo = '/' }: { error: Pick<ApiError, 'code' | 'message'>; onRetry?: (() => void) | undefined; backTo?: string }) {
  const { t } = useI18n();
  const key = errorMessageKey(error.code);
  const retryable = error.code === 'network' || error.code === 'internal_error' || error.code === 'bad_response' || error.code === 'unexpected';
  return (
    <section className="error-panel" role="alert" aria-labelledby="error-title">
      <h1 id="error-title">{t('error.title')}</h1>
      <p className="error-message">{isMessageKey(key) ? t(key) : t('error.unexpected')}</p>
      <div className="error-actions">
        <Link to={backTo} className="button primary">
          {t('error.back')}
        </Link>
        {onRetry && retryable ? (
          <button type="button" className="button" onClick={onRetry}>
            {t('error.retry')}
          </button>
        ) : null}
      </div>
      <details className="error-detail">
        <summary>{t('error.detail')}</summary>
        <code>
          {error.code}: {error.message}
        </code>
      </details>
    </section>
  );
}
