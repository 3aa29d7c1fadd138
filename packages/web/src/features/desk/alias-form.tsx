import { sourcesApi } from '@watchfloor/core';
import { useState, type FormEvent } from 'react';
import { toApiError } from '../../lib/api';
import { call } from '../../lib/client';
import { useI18n } from '../../lib/i18n/i18n';
import type { AliasOffer } from './alias-offer';

/**
 * Under a rejected row whose unit or agency was written by a name no one
 * bears (or several do) or by a legacy code: says once, for the source,
 * what that name means — a candidate the server listed or a code typed in
 * — then checks the file again, where the row now resolves.
 */
export function AliasForm({ source, offer, onAdded }: { source: string; offer: AliasOffer; onAdded: () => void }) {
  const { t } = useI18n();
  const [code, setCode] = useState(offer.candidates[0]?.code ?? '');
  const [state, setState] = useState<{ step: 'idle' | 'saving' } | { step: 'failed'; message: string }>({ step: 'idle' });
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setState({ step: 'saving' });
    try {
      await call(sourcesApi.addAlias, { params: { code: source }, body: { kind: offer.kind, name: offer.name, code: code.trim() } });
      setState({ step: 'idle' });
      onAdded();
    } catch (err) {
      setState({ step: 'failed', message: toApiError(err).message });
    }
  };
  return (
    <details className="alias-form" data-testid="alias-form">
      <summary>{t('desk.alias.add')}</summary>
      <form onSubmit={(e) => void save(e)}>
        <p>{t(offer.kind === 'place' ? 'desk.alias.placeHint' : 'desk.alias.organisationHint', { name: offer.name })}</p>
        {offer.candidates.length > 0 ? (
          <label className="field">
            <span>{t('desk.alias.candidates')}</span>
            <select value={offer.candidates.some((c) => c.code === code) ? code : ''} onChange={(e) => setCode(e.target.value)}>
              {offer.candidates.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.label}
                </option>
              ))}
              <option value="">{t('desk.alias.other')}</option>
            </select>
          </label>
        ) : null}
        <label className="field">
          <span>{t(offer.kind === 'place' ? 'desk.alias.placeCode' : 'desk.alias.organisationCode')}</span>
          <input name="code" value={code} required maxLength={40} autoComplete="off" onChange={(e) => setCode(e.target.value)} />
        </label>
        <button type="submit" className="button" disabled={state.step === 'saving' || code.trim() === ''}>
          {state.step === 'saving' ? t('desk.alias.saving') : t('desk.alias.save')}
        </button>
        {state.step === 'failed' ? (
          <p className="field-error" role="alert">
            {t('desk.alias.failed', { message: state.message })}
          </p>
        ) : null}
      </form>
    </details>
  );
}
