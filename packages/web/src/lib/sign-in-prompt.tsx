import { useI18n } from './i18n/i18n';
import type { MessageKey } from './i18n/translate';
import { Link, useLocation } from './router';
import type { SessionState } from './session';
import { signInUrl } from './sign-in-url';

/**
 * What a screen may do with data only signed-in users read (cases, alerts,
 * stations, playlists): wait while the session loads, offer to sign in when
 * nobody is, read it when someone is. Every role reads; the anonymous get a
 * 401, so they are not asked at all.
 */
export type SignedInAccess = 'wait' | 'signIn' | 'read';

export function signedInAccess(session: SessionState): SignedInAccess {
  if (session.status === 'user') return 'read';
  return session.status === 'anonymous' ? 'signIn' : 'wait';
}

/** One short line in place of what needs signing in (by default the cases and alerts), with the way to sign in and come back here. */
export function SignInLine({ text = 'access.live' }: { text?: MessageKey }) {
  const { t } = useI18n();
  const location = useLocation();
  return (
    <p className="sign-in-line" data-testid="sign-in-prompt">
      {t(text)}{' '}
      <Link to={signInUrl(location.href)} className="button small">
        {t('access.liveLink')}
      </Link>
    </p>
  );
}
