import { PASSWORD_MIN_LENGTH } from '@watchfloor/core';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { toApiError, type ApiError } from '../../lib/api';
import { useI18n, type I18n } from '../../lib/i18n/i18n';
import { Loading } from '../../lib/loading';
import { Link, navigate } from '../../lib/router';
import { changePassword, loadProviders, signIn, useSession, type Providers } from '../../lib/session';
import { safeNext } from '../../lib/sign-in-url';

/**
 * /sign-in?next=…: the password form (and OpenID Connect when the server
 * offers it); then, when the password was a temporary one, the change of
 * password; then `next`, a path of this site only.
 */
export function SignInScreen({ search }: { search: string }) {
  const { t } = useI18n();
  const session = useSession();
  const next = safeNext(new URLSearchParams(search).get('next'));
  const [providers, setProviders] = useState<Providers | null>(null);
  useEffect(() => {
    let live = true;
    loadProviders().then(
      (p) => {
        if (live) setProviders(p);
      },
      () => {
        if (live) setProviders({ password: true, oidc: null, demo: false, demoAccounts: null });
      },
    );
    return () => {
      live = false;
    };
  }, []);

  if (session.status === 'loading') return <Loading />;
  if (session.status === 'user' && session.user.mustChangePassword) return <ChangePasswordScreen onDone={() => navigate(next, { replace: true })} />;
  if (session.status === 'user') {
    return (
      <div className="screen sign-in" data-testid="signed-in">
        <h1>{t('signIn.title')}</h1>
        <p>{t('signIn.already', { name: session.user.displayName })}</p>
        <p>
          <Link to={next} className="button primary">
            {t('signIn.continue')}
          </Link>
        </p>
      </div>
    );
  }
  return (
    <SignInForm
      providers={providers}
      next={next}
      onSignIn={async (login, password) => {
        const user = await signIn(login, password);
        // A temporary password: this screen shows the change of password first (the session says so).
        if (!user.mustChangePassword) navigate(next, { replace: true });
      }}
    />
  );
}

/** The OpenID Connect start address, carrying `next` so the provider's return lands there. */
export function oidcStartUrl(startUrl: string, next: string): string {
  const url = new URL(startUrl, 'http://watchfloor.invalid');
  url.searchParams.set('next', safeNext(next));
  return url.origin === 'http://watchfloor.invalid' ? `${url.pathname}${url.search}` : url.href;
}

/** A wait in words: seconds under a minute, else whole minutes (rounded up). */
export function formatWait(seconds: number, t: I18n['t']): string {
  return seconds < 60 ? t('signIn.seconds', { n: Math.max(1, Math.ceil(seconds)) }) : t('signIn.minutes', { n: Math.ceil(seconds / 60) });
}

/** Why signing in was refused, in the reader's language. */
export function signInMessage(error: Pick<ApiError, 'code' | 'details'>, t: I18n['t']): string {
  switch (error.code) {
    case 'invalid_credentials':
      return t('signIn.error.invalid_credentials');
    case 'account_disabled':
    case 'user_disabled':
      return t('signIn.error.account_disabled');
    case 'too_many_attempts':
    case 'rate_limited': {
      const d = error.details;
      const wait = typeof d === 'object' && d !== null ? (d as { retryAfterSeconds?: unknown }).retryAfterSeconds : undefined;
      return typeof wait === 'number' && wait > 0 ? t('signIn.error.too_many_attempts', { wait: formatWait(wait, t) }) : t('signIn.error.too_many_attempts_soon');
    }
    case 'network':
      return t('signIn.error.network');
    case 'invalid_body':
      return t('signIn.error.invalid_body');
    default:
      return t('signIn.error.other');
  }
}

/** The form itself, drawn from its props: `error` shows a refusal as the last attempt left it. */
export function SignInForm({
  providers,
  next,
  onSignIn,
  initialError = null,
}: {
  providers: Providers | null;
  next: string;
  onSignIn: (login: string, password: string) => Promise<void>;
  initialError?: ApiError | null;
}) {
  const { t } = useI18n();
  const id = useId();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(initialError);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSignIn(login.trim(), password);
    } catch (err) {
      setError(toApiError(err));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };
  const errorId = `${id}-error`;
  return (
    <div className="screen sign-in" data-testid="sign-in">
      <h1 id={`${id}-title`}>{t('signIn.title')}</h1>
      <p className="muted">{t('signIn.intro')}</p>
      <form className="panel sign-in-form" onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`} aria-describedby={error ? errorId : undefined} noValidate>
        <label className="field">
          <span>{t('signIn.login')}</span>
          <input name="login" autoComplete="username" autoCapitalize="none" spellCheck={false} required value={login} onChange={(e) => setLogin(e.target.value)} aria-invalid={error ? true : undefined} />
        </label>
        <label className="field">
          <span>{t('signIn.password')}</span>
          <input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} aria-invalid={error ? true : undefined} />
        </label>
        {error ? (
          <p id={errorId} className="field-error" role="alert" data-code={error.code}>
            {signInMessage(error, t)}
          </p>
        ) : null}
        <button type="submit" className="button primary" disabled={busy || !login.trim() || !password}>
          {busy ? t('signIn.busy') : t('signIn.submit')}
        </button>
      </form>
      {providers?.oidc ? (
        <p className="sign-in-oidc">
          <span className="muted">{t('signIn.or')}</span>{' '}
          <a className="button" href={oidcStartUrl(providers.oidc.startUrl, next)} data-testid="sign-in-oidc">
            {t('signIn.oidc', { label: providers.oidc.label })}
          </a>
        </p>
      ) : null}
      {providers?.demoAccounts ? (
        <p className="muted small" data-testid="sign-in-demo">
          {t('signIn.demoAccounts', { logins: providers.demoAccounts.logins.join(', '), file: providers.demoAccounts.file })}
        </p>
      ) : providers?.demo ? (
        // The server names the accounts and the file to administrators only: the public learns where to look, not what to guess.
        <p className="muted small" data-testid="sign-in-demo">
          {t('signIn.demo')}
        </p>
      ) : null}
    </div>
  );
}

/** Checks a new password before sending it: the policy's length, and the same twice. */
export function newPasswordProblem(next: string, repeat: string, t: I18n['t']): string | null {
  if (next.length < PASSWORD_MIN_LENGTH) return t('password.tooShort', { min: PASSWORD_MIN_LENGTH });
  if (next !== repeat) return t('password.mismatch');
  return null;
}

/** The change of password a temporary password requires before anything else. */
export function ChangePasswordScreen({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const id = useId();
  const [current, setCurrent] = useState('');
  const [fresh, setFresh] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local = newPasswordProblem(fresh, repeat, t);
    if (local) {
      setProblem(local);
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await changePassword(current, fresh);
      onDone();
    } catch (err) {
      const error = toApiError(err);
      setProblem(error.code === 'invalid_credentials' ? t('password.error.invalid_credentials') : `${t('password.error.other')} (${error.code})`);
    } finally {
      setBusy(false);
    }
  };
  const hintId = `${id}-hint`;
  return (
    <div className="screen sign-in" data-testid="change-password">
      <h1 id={`${id}-title`}>{t('password.title')}</h1>
      <p>{t('password.required')}</p>
      <form className="panel sign-in-form" onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`} noValidate>
        <label className="field">
          <span>{t('password.current')}</span>
          <input name="current-password" type="password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('password.new')}</span>
          <input name="new-password" type="password" autoComplete="new-password" required minLength={PASSWORD_MIN_LENGTH} value={fresh} onChange={(e) => setFresh(e.target.value)} aria-describedby={hintId} />
        </label>
        <p id={hintId} className="muted small">
          {t('password.hint', { min: PASSWORD_MIN_LENGTH })}
        </p>
        <label className="field">
          <span>{t('password.repeat')}</span>
          <input name="repeat-password" type="password" autoComplete="new-password" required value={repeat} onChange={(e) => setRepeat(e.target.value)} />
        </label>
        {problem ? (
          <p className="field-error" role="alert">
            {problem}
          </p>
        ) : null}
        <button type="submit" className="button primary" disabled={busy || !current || !fresh}>
          {busy ? t('password.busy') : t('password.submit')}
        </button>
      </form>
    </div>
  );
}
