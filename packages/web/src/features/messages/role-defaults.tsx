import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { messagesApi, ROLES, type Role, type RolePreferences, type RolePreferencesAnswer } from '@watchfloor/core';
import { toApiError, type ApiError } from '../../lib/api';
import { call, fresh } from '../../lib/client';
import { ErrorPanel, errorMessageKey } from '../../lib/error-panel';
import { useI18n } from '../../lib/i18n/i18n';
import { Loading } from '../../lib/loading';
import { useRequest } from '../../lib/use-request';
import { MessageChoices } from './choices';

/** An administrator's section of /account/messages: the message defaults of a role, chosen from a list, read and saved. */
export function RoleDefaultsSection() {
  const [role, setRole] = useState<Role>('operator');
  const state = useRequest(fresh(messagesApi.rolePreferences, { params: { role } }));
  return (
    <RoleDefaultsForm
      role={role}
      onRole={setRole}
      answer={state.data && state.data.role === role ? state.data : null}
      error={state.error ? <ErrorPanel error={state.error} onRetry={state.retry} /> : null}
      onSave={(p) => call(messagesApi.setRolePreferences, { params: { role }, body: p })}
    />
  );
}

export function RoleDefaultsForm({
  role,
  onRole,
  answer,
  error: loadError = null,
  onSave,
}: {
  role: Role;
  onRole: (r: Role) => void;
  answer: RolePreferencesAnswer | null;
  error?: ReactNode;
  onSave: (p: RolePreferences) => Promise<RolePreferencesAnswer>;
}) {
  const { t } = useI18n();
  const [p, setP] = useState<RolePreferences | null>(answer?.preferences ?? null);
  const [stored, setStored] = useState(answer?.stored ?? false);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    setP(answer?.preferences ?? null);
    setStored(answer?.stored ?? false);
    setSaved(false);
  }, [answer]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!p) return;
    setBusy(true);
    setError(null);
    try {
      const a = await onSave(p);
      setP(a.preferences);
      setStored(a.stored);
      setSaved(true);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="role-defaults-title" data-testid="role-defaults">
      <h2 id="role-defaults-title">{t('roleDefaults.title')}</h2>
      <p className="muted small">{t('roleDefaults.intro')}</p>
      <label className="field">
        <span>{t('roleDefaults.role')}</span>
        <select name="role" value={role} onChange={(e) => onRole(ROLES.find((r) => r === e.target.value) ?? role)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`role.${r}`)}
            </option>
          ))}
        </select>
      </label>
      {loadError}
      {!loadError && !p ? <Loading /> : null}
      {p ? (
        <form noValidate onSubmit={(e) => void submit(e)} style={{ display: 'grid', gap: '0.75rem', maxWidth: '32rem', marginTop: '0.75rem' }}>
          {stored ? null : <p className="muted small">{t('roleDefaults.builtIn')}</p>}
          <MessageChoices value={p} onChange={setP} name="role-" />
          <div>
            <button type="submit" className="button primary" disabled={busy}>
              {busy ? t('msgPrefs.saving') : t('msgPrefs.save')}
            </button>
          </div>
          {error ? (
            <p className="field-error" role="alert">
              {t(errorMessageKey(error.code))}
            </p>
          ) : null}
          {saved ? (
            <p className="small" role="status">
              {t('msgPrefs.saved')}
            </p>
          ) : null}
        </form>
      ) : null}
    </section>
  );
}
