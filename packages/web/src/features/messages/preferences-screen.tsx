import { useState, type FormEvent } from 'react';
import { grantsAllow, MESSAGE_LANGUAGES, messagesApi, type MessagePreferences, type MessagePreferencesAnswer } from '@watchfloor/core';
import { toApiError, type ApiError } from '../../lib/api';
import { call, fresh } from '../../lib/client';
import { ErrorPanel, errorMessageKey } from '../../lib/error-panel';
import { useI18n } from '../../lib/i18n/i18n';
import { Loading } from '../../lib/loading';
import { useSession } from '../../lib/session';
import { useRequest } from '../../lib/use-request';
import { MessageChoices } from './choices';
import { OwnMessagesSection } from './own-messages';
import { RoleDefaultsSection } from './role-defaults';

/**
 * One's own message preferences (/account/messages): channels, addresses,
 * topics, the least severity, quiet hours, language; below them, the
 * messages one was sent; for an administrator, the defaults of each role.
 */
export function MessagePreferencesScreen() {
  const state = useRequest(fresh(messagesApi.preferences));
  const session = useSession();
  const admin = session.status === 'user' && grantsAllow(session.user.roles, 'admin');
  if (state.error) return <ErrorPanel error={state.error} onRetry={state.retry} />;
  if (!state.data) return <Loading />;
  return (
    <>
      <MessagePreferencesForm answer={state.data} onSave={(p) => call(messagesApi.setPreferences, { body: p })} />
      <div className="screen">
        <OwnMessagesSection />
      </div>
      {admin ? (
        <div className="screen">
          <RoleDefaultsSection />
        </div>
      ) : null}
    </>
  );
}

/** What a form's fields say, or the message key of what is missing. */
function check(p: MessagePreferences): 'msgPrefs.needEmail' | 'msgPrefs.needPhone' | null {
  if (p.channels.includes('email') && !p.email) return 'msgPrefs.needEmail';
  if (p.channels.includes('gateway') && !p.phone && !p.zaloId) return 'msgPrefs.needPhone';
  return null;
}

export function MessagePreferencesForm({ answer, onSave }: { answer: MessagePreferencesAnswer; onSave: (p: MessagePreferences) => Promise<MessagePreferencesAnswer> }) {
  const { t } = useI18n();
  const [p, setP] = useState<MessagePreferences>(answer.preferences);
  const [defaults, setDefaults] = useState(answer.defaults);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<'idle' | 'saved' | 'checked'>('idle');
  const [error, setError] = useState<ApiError | null>(null);
  const missing = status === 'checked' ? check(p) : null;
  const text = (v: string) => (v.trim() === '' ? null : v.trim());
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (check(p)) {
      setStatus('checked');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const saved = await onSave(p);
      setP(saved.preferences);
      setDefaults(saved.defaults);
      setStatus('saved');
    } catch (err) {
      setError(toApiError(err));
      setStatus('idle');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="screen msg-prefs" data-testid="message-preferences">
      <h1>{t('msgPrefs.title')}</h1>
      <p>{t('msgPrefs.intro')}</p>
      {answer.receivesAlerts ? null : <p className="muted">{t('msgPrefs.noAlerts')}</p>}
      {defaults ? <p className="muted small">{t('msgPrefs.defaults')}</p> : null}
      <form noValidate onSubmit={(e) => void submit(e)} style={{ display: 'grid', gap: '0.75rem', maxWidth: '32rem' }}>
        <label style={{ display: 'block' }}>
          <input type="checkbox" name="followRole" checked={p.followRole} onChange={(e) => setP({ ...p, followRole: e.target.checked })} /> {t('msgPrefs.followRole')}
        </label>
        <label className="field">
          <span>{t('msgPrefs.email')}</span>
          <input type="email" name="email" autoComplete="email" value={p.email ?? ''} onChange={(e) => setP({ ...p, email: text(e.target.value) })} />
        </label>
        <label className="field">
          <span>{t('msgPrefs.phone')}</span>
          <input type="tel" name="phone" autoComplete="tel" value={p.phone ?? ''} onChange={(e) => setP({ ...p, phone: text(e.target.value) })} />
        </label>
        <label className="field">
          <span>{t('msgPrefs.zaloId')}</span>
          <input type="text" name="zaloId" inputMode="numeric" value={p.zaloId ?? ''} onChange={(e) => setP({ ...p, zaloId: text(e.target.value) })} />
        </label>
        <label className="field">
          <span>{t('msgPrefs.language')}</span>
          <select name="language" value={p.language} onChange={(e) => setP({ ...p, language: e.target.value === 'en' ? 'en' : 'vi' })}>
            {MESSAGE_LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {t(`msgPrefs.language.${l}`)}
              </option>
            ))}
          </select>
        </label>
        <MessageChoices value={p} onChange={(v) => setP({ ...p, ...v })} disabled={p.followRole} />
        <div>
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? t('msgPrefs.saving') : t('msgPrefs.save')}
          </button>
        </div>
        {missing ? (
          <p className="field-error" role="alert">
            {t(missing)}
          </p>
        ) : null}
        {error ? (
          <p className="field-error" role="alert">
            {t(errorMessageKey(error.code))}
          </p>
        ) : null}
        {status === 'saved' ? (
          <p className="small" role="status">
            {t('msgPrefs.saved')}
          </p>
        ) : null}
      </form>
    </div>
  );
}
