import { CASE_STATUSES, type Case, type CaseCategory, type CaseStatus } from '@watchfloor/core';
import { useState, type FormEvent } from 'react';
import { formatInstant } from '../../lib/i18n/format';
import { useI18n } from '../../lib/i18n/i18n';
import { ExportMenu } from '../../lib/export-menu';
import { Loading } from '../../lib/loading';
import { Link, navigate } from '../../lib/router';
import { useLiveRefresh } from '../../lib/use-live';
import { useRequest } from '../../lib/use-request';
import { DueTasksSection } from '../directives/due-tasks';
import { deskApi } from './desk-api';
import { DeskError, DeskNav } from './desk-nav';
import { caseBoardUrl, caseUrl, isPlaceCode, readCaseFilter, type CaseFilter } from './desk-routes';
import { DeadlineBadge, StatusBadge } from './case-parts';

/** The case board: every case the filter names, newest first, the filter kept in the URL. */
export function CaseBoard({ search }: { search: string }) {
  const { t, lang } = useI18n();
  const filter = readCaseFilter(search);
  const cases = useRequest(deskApi.cases(filter), { keepPrevious: true });
  const categories = useRequest(deskApi.categories());
  const organisations = useRequest(deskApi.organisations());
  useLiveRefresh({ indicators: [], cases: true }, cases.retry);

  const categoryName = (code: string) => categories.data?.categories.find((c) => c.code === code)?.names[lang] ?? code;
  return (
    <div className="screen desk" data-testid="case-board">
      <DeskNav current="cases" />
      <header className="screen-header">
        <div>
          <h1>{t('desk.cases.title')}</h1>
          <p className="subtitle">{t('desk.cases.intro')}</p>
        </div>
        <ExportMenu href={deskApi.casesHref(filter)} />
      </header>
      <DueTasksSection />
      <CaseFilters filter={filter} categories={categories.data?.categories ?? []} organisations={organisations.data?.organisations ?? []} />
      {cases.error ? (
        <DeskError error={cases.error} onRetry={cases.retry} to={caseBoardUrl()} label="cases" />
      ) : !cases.data ? (
        <Loading />
      ) : cases.data.cases.length === 0 ? (
        <p className="note">{t('desk.cases.empty')}</p>
      ) : (
        <div className="table-scroll desk-scroll" tabIndex={0} role="region" aria-label={t('desk.cases.title')}>
          <table className={`data-table${cases.stale ? ' stale' : ''}`} data-testid="case-table">
            <caption className="visually-hidden">{t('desk.cases.caption', { n: cases.data.cases.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('desk.case.id')}</th>
                <th scope="col">{t('desk.case.title')}</th>
                <th scope="col">{t('desk.case.category')}</th>
                <th scope="col">{t('desk.case.organisation')}</th>
                <th scope="col">{t('desk.case.status')}</th>
                <th scope="col">{t('desk.case.deadline')}</th>
              </tr>
            </thead>
            <tbody>
              {cases.data.cases.map((c: Case) => (
                <tr key={c.id} data-case={c.id}>
                  <th scope="row">
                    <Link to={caseUrl(c.id)}>{c.id}</Link>
                  </th>
                  <td>{c.title}</td>
                  <td>{categoryName(c.category)}</td>
                  <td>{c.organisationName ?? c.organisation ?? <span className="muted">{t('desk.case.unassigned')}</span>}</td>
                  <td>
                    <StatusBadge status={c.status} />
                  </td>
                  <td>
                    {formatInstant(c.deadlineAt, lang)} <DeadlineBadge state={c.deadlineState} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** The board's filters. Lists apply at once; the typed place code applies on Enter or "Filter". */
export function CaseFilters({ filter, categories, organisations }: { filter: CaseFilter; categories: readonly CaseCategory[]; organisations: readonly { code: string; name: string; nameEn: string | null }[] }) {
  const { t, lang } = useI18n();
  const [place, setPlace] = useState(filter.place ?? '');
  const [placeError, setPlaceError] = useState(false);
  const go = (next: CaseFilter) => navigate(caseBoardUrl(next));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const p = place.trim();
    if (p && !isPlaceCode(p)) {
      setPlaceError(true);
      return;
    }
    setPlaceError(false);
    go({ ...filter, place: p || undefined });
  };
  return (
    <form className="desk-filters" onSubmit={submit} aria-label={t('desk.filters')} data-testid="case-filters">
      <label className="field">
        <span>{t('desk.case.status')}</span>
        <select name="status" value={filter.status ?? ''} onChange={(e) => go({ ...filter, status: (e.target.value || undefined) as CaseStatus | undefined })}>
          <option value="">{t('desk.all')}</option>
          {CASE_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`case.status.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('desk.case.category')}</span>
        <select name="category" value={filter.category ?? ''} onChange={(e) => go({ ...filter, category: e.target.value || undefined })}>
          <option value="">{t('desk.all')}</option>
          {filter.category && !categories.some((c) => c.code === filter.category) ? <option value={filter.category}>{filter.category}</option> : null}
          {categories.map((c) => (
            <option key={c.code} value={c.code}>
              {c.names[lang]}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('desk.case.organisation')}</span>
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
        <span>{t('desk.case.deadline')}</span>
        <select name="overdue" value={filter.overdue ?? ''} onChange={(e) => go({ ...filter, overdue: (e.target.value || undefined) as CaseFilter['overdue'] })}>
          <option value="">{t('desk.all')}</option>
          <option value="overdue">{t('case.deadline.overdue')}</option>
          <option value="due_soon">{t('case.deadline.due_soon')}</option>
        </select>
      </label>
      <label className="field">
        <span>{t('desk.case.place')}</span>
        <input
          name="place"
          inputMode="numeric"
          value={place}
          placeholder="29242"
          aria-invalid={placeError || undefined}
          aria-describedby={placeError ? 'place-error' : undefined}
          onChange={(e) => setPlace(e.target.value)}
        />
        {placeError ? (
          <span id="place-error" className="field-error">
            {t('desk.case.badPlace')}
          </span>
        ) : null}
      </label>
      <div className="desk-filter-actions">
        <button type="submit" className="button">
          {t('desk.filter')}
        </button>
        <button
          type="button"
          className="button"
          onClick={() => {
            setPlace('');
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
