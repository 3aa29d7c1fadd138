import { signInUrl } from './sign-in-url';
import { useI18n } from './i18n/i18n';
import { isMessageKey, type MessageKey } from './i18n/translate';
import { Link, useLocation } from './router';
import type { ApiError } from './api';

/** What a reader is told when something cannot be shown: in their language, with the way back, never a blank screen. */
export function errorMessageKey(code: string): MessageKey {
  const key = `error.${code}`;
  return isMessageKey(key) ? key : 'error.unexpected';
}

/**
 * What the reader can do about a refusal: sign in (401: nobody is signed in,
 * or the session ended), go back (403: signed in without the right), or
 * nothing of the kind.
 */
export function accessOf(error: { code: string; status?: number | undefined }): 'signIn' | 'forbidden' | null {
  if (error.code === 'authentication_required' || error.code === 'invalid_session') return 'signIn';
  if (error.code === 'forbidden') return 'forbidden';
  if (error.status === 401 && error.code !== 'invalid_credentials') return 'signIn';
  if (error.status === 403 && error.code !== 'csrf_failed') return 'forbidden';
  return null;
}

export function ErrorPanel({
  error,
  onRetry,
  backTo = '/',
}: {
  error: Pick<ApiError, 'code' | 'message'> & { status?: number | undefined };
  onRetry?: (() => void) | undefined;
  backTo?: string;
}) {
  const { t } = useI18n();
  const location = useLocation();
  const access = accessOf(error);
  const key: MessageKey = access === 'signIn' && !isMessageKey(`error.${error.code}`) ? 'error.authentication_required' : access === 'forbidden' ? 'error.forbidden' : errorMessageKey(error.code);
  const retryable = error.code === 'network' || error.code === 'internal_error' || error.code === 'bad_response' || error.code === 'unexpected';
  return (
    <section className="error-panel" role="alert" aria-labelledby="error-title" data-access={access ?? undefined}>
      <h1 id="error-title">{t('error.title')}</h1>
      <p className="error-message">{t(key)}</p>
      <div className="error-actions">
        {access === 'signIn' ? (
          <Link to={signInUrl(location.href)} className="button primary" data-testid="error-sign-in">
            {t('error.signIn')}
          </Link>
        ) : null}
        {access === 'forbidden' ? (
          <button type="button" className="button primary" onClick={() => (window.history.length > 1 ? window.history.back() : window.location.assign(backTo))}>
            {t('error.goBack')}
          </button>
        ) : null}
        <Link to={backTo} className={access ? 'button' : 'button primary'}>
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
