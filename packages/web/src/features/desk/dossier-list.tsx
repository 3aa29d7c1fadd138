import type { DossierListItem, DossierState } from '@watchfloor/core';
import { useState, type FormEvent } from 'react';
import { formatInstant, formatNumber } from '../../lib/i18n/format';
import { useI18n } from '../../lib/i18n/i18n';
import { ExportMenu } from '../../lib/export-menu';
import { Loading } from '../../lib/loading';
import { navigate } from '../../lib/router';
import { useSession } from '../../lib/session';
import { SignInLine, signedInAccess } from '../../lib/sign-in-prompt';
import { useRequest } from '../../lib/use-request';
import { deskApi } from './desk-api';
import { DeskError, DeskNav } from './desk-nav';
import { dossiersUrl, isPlaceCode, readDossierFilter, type DossierFilter } from './desk-routes';

/**
 * Administrative dossiers (hồ sơ TTHC): the newest received first, each in
 * its Decision 766 state as of now (the server's, the rule the measures
 * count by), the filters kept in the URL, and Xuất for every dossier of them.
 */
export function DossierList({ search }: { search: string }) {
  const { t } = useI18n();
  const access = signedInAccess(useSession());
  // Dossiers are read by signed-in users only: the public is offered to sign in, not a list, filters and Xuất it may not have.
  if (access !== 'read') {
    return (
      <div className="screen desk" data-testid="dossier-list">
        <header className="screen-header">
          <h1>{t('dossiers.title')}</h1>
        </header>
        {access === 'signIn' ? <SignInLine text="dossiers.signIn" /> : <Loading />}
      </div>
    );
  }
  return <DossierScreen search={search} />;
}

/** The list itself, for a signed-in reader. */
export function DossierScreen({ search }: { search: string }) {
  const { t, lang } = useI18n();
  const filter = readDossierFilter(search);
  const dossiers = useRequest(deskApi.dossiers(filter), { keepPrevious: true });
  const organisations = useRequest(deskApi.organisations());
  const rows = dossiers.data?.dossiers ?? [];
  return (
    <div className="screen desk" data-testid="dossier-list">
      <DeskNav current="dossiers" />
      <header className="screen-header">
        <div>
          <h1>{t('dossiers.title')}</h1>
          <p className="subtitle">{t('dossiers.intro')}</p>
        </div>
        <ExportMenu href={deskApi.dossiersHref(filter)} />
      </header>
      <DossierFilters filter={filter} organisations={organisations.data?.organisations ?? []} />
      {dossiers.error ? (
        <DeskError error={dossiers.error} onRetry={dossiers.retry} to={dossiersUrl()} label="dossiers" />
      ) : !dossiers.data ? (
        <Loading />
      ) : rows.length === 0 ? (
        <p className="note">{t('dossiers.empty')}</p>
      ) : (
        <>
          {rows.length >= deskApi.dossiersLimit ? <p className="note">{t('dossiers.more', { n: formatNumber(rows.length, lang, 0) })}</p> : null}
          <div className="table-scroll desk-scroll" tabIndex={0} role="region" aria-label={t('dossiers.title')}>
            <table className={`data-table${dossiers.stale ? ' stale' : ''}`} data-testid="dossier-table">
              <caption className="visually-hidden">{t('dossiers.caption', { n: rows.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('dossiers.code')}</th>
                  <th scope="col">{t('dossiers.procedure')}</th>
                  <th scope="col">{t('dossiers.organisation')}</th>
                  <th scope="col">{t('dossiers.place')}</th>
                  <th scope="col">{t('dossiers.received')}</th>
                  <th scope="col">{t('dossiers.due')}</th>
                  <th scope="col">{t('dossiers.resolved')}</th>
                  <th scope="col">{t('dossiers.state')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((d: DossierListItem) => (
                  <tr key={d.code} data-dossier={d.code}>
                    <th scope="row">
                      {d.code}
                      <span className="muted small"> · {t(`dossiers.channel.${d.channel}`)}</span>
                    </th>
                    <td>
                      {d.procedureName ?? d.procedure}
                      {d.procedureName ? <span className="muted small"> ({d.procedure})</span> : null}
                    </td>
                    <td>{d.organisationName ?? d.organisation}</td>
                    <td>{d.placeName ?? d.place ?? '—'}</td>
                    <td>{formatInstant(d.receivedAt, lang)}</td>
                    <td>{formatInstant(d.dueAt, lang)}</td>
                    <td>{d.resolvedAt ? formatInstant(d.resolvedAt, lang) : '—'}</td>
                    <td>
                      <DossierStateBadge state={d.state} />
                      {d.daysLate !== null ? <span className="muted small"> {t('dossiers.daysLate', { n: formatNumber(d.daysLate, lang, 1) })}</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}

/** A dossier's Decision 766 state in words, and in colour where it needs attention. */
export function DossierStateBadge({ state }: { state: DossierState }) {
  const { t } = useI18n();
  return <span className={`badge dossier-state state-${state}`}>{t(`dossiers.state.${state}`)}</span>;
}

/** The list's filters. Lists apply at once; typed fields (place, procedure, days) apply on Enter or "Filter". */
export function DossierFilters({ filter, organisations }: { filter: DossierFilter; organisations: readonly { code: string; name: string; nameEn: string | null }[] }) {
  const { t, lang } = useI18n();
  const [typed, setTyped] = useState({ place: filter.place ?? '', procedure: filter.procedure ?? '', receivedFrom: filter.receivedFrom ?? '', receivedTo: filter.receivedTo ?? '' });
  const [placeError, setPlaceError] = useState(false);
  const go = (next: DossierFilter) => navigate(dossiersUrl(next));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const place = typed.place.trim();
    if (place && !isPlaceCode(place)) {
      setPlaceError(true);
      return;
    }
    setPlaceError(false);
    go({ ...filter, place: place || undefined, procedure: typed.procedure.trim() || undefined, receivedFrom: typed.receivedFrom || undefined, receivedTo: typed.receivedTo || undefined });
  };
  return (
    <form className="desk-filters" onSubmit={submit} aria-label={t('dossiers.filters')} data-testid="dossier-filters">
      <label className="field">
        <span>{t('dossiers.organisation')}</span>
        <select name="organisation" value={filter.organisation ?? ''} onChange={(e) => go({ ...filter, organisation: e.target.value || undefined })}>
          <option value="">{t('desk.all')}</option>
          {filter.organisation && !organisations.some((o) => o.code === filter.organisation) ? <option value={filter.organisation}>{filter.organisation}</option> : null}
          {organisations.map((o) => (
            <option key={o.code} value={o.code}>
              {(lang === 'en' && o.nameEn) || o.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('dossiers.status')}</span>
        <select name="status" value={filter.status ?? ''} onChange={(e) => go({ ...filter, status: (e.target.value || undefined) as DossierFilter['status'] })}>
          <option value="">{t('desk.all')}</option>
          <option value="in_process">{t('dossiers.status.in_process')}</option>
          <option value="resolved">{t('dossiers.status.resolved')}</option>
        </select>
      </label>
      <label className="field">
        <span>{t('dossiers.late')}</span>
        <select name="late" value={filter.late ?? ''} onChange={(e) => go({ ...filter, late: (e.target.value || undefined) as DossierFilter['late'] })}>
          <option value="">{t('desk.all')}</option>
          <option value="true">{t('dossiers.late.true')}</option>
          <option value="false">{t('dossiers.late.false')}</option>
        </select>
      </label>
      <label className="check-field">
        <input type="checkbox" name="dueWithin24h" checked={filter.dueWithin24h === 'true'} onChange={(e) => go({ ...filter, dueWithin24h: e.target.checked ? 'true' : undefined })} />
        <span>{t('dossiers.dueWithin24h')}</span>
      </label>
      <label className="field">
        <span>{t('dossiers.placeCode')}</span>
        <input
          name="place"
          inputMode="numeric"
          value={typed.place}
          placeholder="29242"
          aria-invalid={placeError || undefined}
          aria-describedby={placeError ? 'dossier-place-error' : undefined}
          onChange={(e) => setTyped({ ...typed, place: e.target.value })}
        />
        {placeError ? (
          <span id="dossier-place-error" className="field-error">
            {t('desk.case.badPlace')}
          </span>
        ) : null}
      </label>
      <label className="field">
        <span>{t('dossiers.procedureCode')}</span>
        <input name="procedure" value={typed.procedure} placeholder="1.001234" onChange={(e) => setTyped({ ...typed, procedure: e.target.value })} />
      </label>
      <label className="field">
        <span>{t('dossiers.receivedFrom')}</span>
        <input type="date" name="receivedFrom" value={typed.receivedFrom} onChange={(e) => setTyped({ ...typed, receivedFrom: e.target.value })} />
      </label>
      <label className="field">
        <span>{t('dossiers.receivedTo')}</span>
        <input type="date" name="receivedTo" value={typed.receivedTo} onChange={(e) => setTyped({ ...typed, receivedTo: e.target.value })} />
      </label>
      <div className="desk-filter-actions">
        <button type="submit" className="button">
          {t('desk.filter')}
        </button>
        <button
          type="button"
          className="button"
          onClick={() => {
            setTyped({ place: '', procedure: '', receivedFrom: '', receivedTo: '' });
            setPlaceError(false);
            go({});
          }}
        >
          {t('desk.clear')}
        </button>
      </div>
    </form>
  );
}
